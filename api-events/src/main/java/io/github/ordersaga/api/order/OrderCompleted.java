package io.github.ordersaga.api.order;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The order is paid and done. Published on {@code order-status}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OrderCompleted(@JsonProperty("uuid") String orderId) {

    @JsonProperty("status")
    public OrderStatus status() {
        return OrderStatus.COMPLETED;
    }
}
