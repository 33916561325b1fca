package io.github.ordersaga.api.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Reserve stock of an item for an order; sent by inventory's policy on {@code OrderCreated}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReserveStock(
        @TargetAggregateIdentifier @JsonProperty("item") String item,
        @JsonProperty("uuid") String orderId,
        @JsonProperty("quantity") int quantity,
        @JsonProperty("user") String user,
        @JsonProperty("payment-error") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean paymentError) {
}
