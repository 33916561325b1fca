package io.github.ordersaga.api.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Not enough stock, or no such item. Published on {@code error}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StockReservationRejected(
        @JsonProperty("uuid") String orderId,
        @JsonProperty("item") String item,
        @JsonProperty("quantity") int quantity,
        @JsonProperty("reason") String reason) {

    public static final String STATUS = "STOCK_REJECTED";

    @JsonProperty("status")
    public String status() {
        return STATUS;
    }
}
