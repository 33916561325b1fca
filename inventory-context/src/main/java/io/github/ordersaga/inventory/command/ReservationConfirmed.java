package io.github.ordersaga.inventory.command;

/**
 * Local to inventory (not in the published language): the order's reservation is consumed for good; the stock
 * stays taken. Carries item and quantity so a projection can update without looking anything up.
 */
public record ReservationConfirmed(String orderId, String item, int quantity) {
}
