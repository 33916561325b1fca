package io.github.ordersaga.api.order;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Query: the orders a user placed, newest first. */
public record FindOrdersOfUser(@JsonProperty("user") String user) {
}
