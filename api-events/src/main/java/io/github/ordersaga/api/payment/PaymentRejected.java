package io.github.ordersaga.api.payment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Payment refused (simulated failure, no account, or not enough credit). Published on {@code error}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PaymentRejected(
        @JsonProperty("uuid") String orderId,
        @JsonProperty("user") String user,
        @JsonProperty("total_invoice") long totalInvoice,
        @JsonProperty("reason") String reason) {

    public static final String STATUS = "PAYMENT_REJECTED";

    @JsonProperty("status")
    public String status() {
        return STATUS;
    }
}
