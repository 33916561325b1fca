package io.github.ordersaga.api.order;

/** Where an order is on its way. COMPLETED, CANCELLED and REJECTED are terminal. */
public enum OrderStatus {
    CREATED, STOCK_RESERVED, PAID, COMPLETED, CANCELLED, REJECTED;

    public boolean isTerminal() {
        return this == COMPLETED || this == CANCELLED || this == REJECTED;
    }
}
