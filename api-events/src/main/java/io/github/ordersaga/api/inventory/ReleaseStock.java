package io.github.ordersaga.api.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The janitor's compensation: give back what the order reserved. Releasing twice, or an unknown reservation, changes nothing. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReleaseStock(
        @TargetAggregateIdentifier @JsonProperty("item") String item,
        @JsonProperty("uuid") String orderId) {
}
