package io.github.ordersaga.api.order;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The order is cancelled, with the reason. Published on {@code order-status}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OrderCancelled(
        @JsonProperty("uuid") String orderId,
        @JsonProperty("reason") String reason) {

    @JsonProperty("status")
    public OrderStatus status() {
        return OrderStatus.CANCELLED;
    }
}
