package io.github.ordersaga.api.order;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Marks a live order completed once its payment exists. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CompleteOrder(@TargetAggregateIdentifier @JsonProperty("uuid") String orderId) {
}
