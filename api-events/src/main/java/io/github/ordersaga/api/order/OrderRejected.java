package io.github.ordersaga.api.order;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The order was refused before anything was done (unknown user). Published on {@code error}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OrderRejected(
        @JsonProperty("uuid") String orderId,
        @JsonProperty("item") String item,
        @JsonProperty("quantity") int quantity,
        @JsonProperty("user") String user,
        @JsonProperty("reason") String reason) {

    @JsonProperty("status")
    public OrderStatus status() {
        return OrderStatus.REJECTED;
    }
}
