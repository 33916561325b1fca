package io.github.ordersaga.api.order;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Query: one order by id. */
public record FindOrder(@JsonProperty("uuid") String orderId) {
}
