package io.github.ordersaga.api.payment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.ordersaga.api.order.OrderStatus;

/** The invoice exists and is charged to the user's credit. Published on {@code payment-created}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PaymentCreated(
        @JsonProperty("uuid") String orderId,
        @JsonProperty("user") String user,
        @JsonProperty("item") String item,
        @JsonProperty("quantity") int quantity,
        @JsonProperty("price_per_unit") long pricePerUnit,
        @JsonProperty("total_invoice") long totalInvoice) {

    @JsonProperty("status")
    public OrderStatus status() {
        return OrderStatus.PAID;
    }
}
