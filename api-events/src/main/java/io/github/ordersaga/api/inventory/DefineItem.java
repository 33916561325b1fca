package io.github.ordersaga.api.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Admin: an item with its initial stock and price. Defining an existing item again changes nothing. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DefineItem(
        @TargetAggregateIdentifier @JsonProperty("item") String item,
        @JsonProperty("stock") long stock,
        @JsonProperty("price_per_unit") long pricePerUnit) {
}
