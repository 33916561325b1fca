package io.github.ordersaga.api.inventory;

/** Query: every item's stock and price. */
public record FindInventory() {
}
