package io.github.ordersaga.api.order;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The order exists for a known user; inventory reserves its stock next. Published on {@code order-created}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OrderCreated(
        @JsonProperty("uuid") String orderId,
        @JsonProperty("item") String item,
        @JsonProperty("quantity") int quantity,
        @JsonProperty("user") String user,
        @JsonProperty("payment-error") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean paymentError) {

    @JsonProperty("status")
    public OrderStatus status() {
        return OrderStatus.CREATED;
    }
}
