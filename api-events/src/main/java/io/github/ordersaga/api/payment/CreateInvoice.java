package io.github.ordersaga.api.payment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Invoice the order against the user's credit; sent by payment's policy on {@code StockReserved}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreateInvoice(
        @TargetAggregateIdentifier @JsonProperty("uuid") String orderId,
        @JsonProperty("user") String user,
        @JsonProperty("item") String item,
        @JsonProperty("quantity") int quantity,
        @JsonProperty("price_per_unit") long pricePerUnit,
        @JsonProperty("payment-error") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean paymentError) {
}
