package io.github.ordersaga.api.payment;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Query: the invoice of an order. */
public record FindInvoice(@JsonProperty("uuid") String orderId) {
}
