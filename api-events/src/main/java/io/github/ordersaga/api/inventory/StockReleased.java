package io.github.ordersaga.api.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The order's reservation went back into stock; {@code available} is the stock after it. Published on {@code inventory-updated}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StockReleased(
        @JsonProperty("uuid") String orderId,
        @JsonProperty("item") String item,
        @JsonProperty("quantity") int quantity,
        @JsonProperty("available") long available) {

    public static final String STATUS = "STOCK_RELEASED";

    @JsonProperty("status")
    public String status() {
        return STATUS;
    }
}
