package io.github.ordersaga.api.order;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A person's order, as the gateway publishes it on {@code frontend}. The order id is assigned by the
 * gateway. {@code "payment-error"} is present only when the sample's simulated payment failure was asked for.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlaceOrder(
        @TargetAggregateIdentifier @JsonProperty("uuid") String orderId,
        @JsonProperty("item") String item,
        @JsonProperty("quantity") int quantity,
        @JsonProperty("user") String user,
        @JsonProperty("payment-error") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean paymentError) {
}
