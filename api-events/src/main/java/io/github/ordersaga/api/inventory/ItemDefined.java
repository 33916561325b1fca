package io.github.ordersaga.api.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

@JsonIgnoreProperties(ignoreUnknown = true)
public record ItemDefined(
        @JsonProperty("item") String item,
        @JsonProperty("stock") long stock,
        @JsonProperty("price_per_unit") long pricePerUnit) {
}
