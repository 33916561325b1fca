package io.github.ordersaga.api.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Admin: add stock to an item. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RestockItem(
        @TargetAggregateIdentifier @JsonProperty("item") String item,
        @JsonProperty("quantity") long quantity) {
}
