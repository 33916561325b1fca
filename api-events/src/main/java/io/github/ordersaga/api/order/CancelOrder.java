package io.github.ordersaga.api.order;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The janitor's compensation: cancel the order, keeping the reason. Travels on {@code order-commands}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CancelOrder(
        @TargetAggregateIdentifier @JsonProperty("uuid") String orderId,
        @JsonProperty("reason") String reason) {
}
