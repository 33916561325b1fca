package io.github.ordersaga.api.payment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The invoice is void and its credit given back. Published on {@code payment-status}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InvoiceVoided(
        @JsonProperty("uuid") String orderId,
        @JsonProperty("user") String user,
        @JsonProperty("total_invoice") long totalInvoice,
        @JsonProperty("reason") String reason) {

    public static final String STATUS = "VOIDED";

    @JsonProperty("status")
    public String status() {
        return STATUS;
    }
}
