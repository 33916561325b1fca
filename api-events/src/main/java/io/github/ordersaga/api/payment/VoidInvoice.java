package io.github.ordersaga.api.payment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The janitor's compensation: void the order's invoice and give its credit back. Voiding twice, or no invoice, changes nothing. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VoidInvoice(
        @TargetAggregateIdentifier @JsonProperty("uuid") String orderId,
        @JsonProperty("reason") String reason) {
}
