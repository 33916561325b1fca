package io.github.ordersaga.api.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.ordersaga.api.order.OrderStatus;

/**
 * Stock is held for the order, priced; payment invoices it next. Carries the order's details so that
 * payment needs nothing else. {@code available} is the item's stock after the reservation.
 * Published on {@code inventory-updated}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StockReserved(
        @JsonProperty("uuid") String orderId,
        @JsonProperty("item") String item,
        @JsonProperty("quantity") int quantity,
        @JsonProperty("user") String user,
        @JsonProperty("price_per_unit") long pricePerUnit,
        @JsonProperty("available") long available,
        @JsonProperty("payment-error") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean paymentError) {

    @JsonProperty("status")
    public OrderStatus status() {
        return OrderStatus.STOCK_RESERVED;
    }
}
