package io.github.ordersaga.gateway.order;

/** A validated order as a person POSTed it (the sample's body). */
public record OrderRequest(String item, int quantity, String user, boolean paymentError) {
}
