package io.github.ordersaga.api.inventory;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Query: one item's stock and price. */
public record FindItem(@JsonProperty("item") String item) {
}
