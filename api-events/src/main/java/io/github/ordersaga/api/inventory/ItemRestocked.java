package io.github.ordersaga.api.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Stock was added; {@code available} is the stock after it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ItemRestocked(
        @JsonProperty("item") String item,
        @JsonProperty("quantity") long quantity,
        @JsonProperty("available") long available) {
}
