package io.github.ordersaga.api.payment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Admin: opens the user's account if needed and sets how much open invoices may total. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SetCreditLimit(
        @TargetAggregateIdentifier @JsonProperty("user") String user,
        @JsonProperty("credit_limit") long creditLimit) {
}
