package io.github.ordersaga.api.order;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

@JsonIgnoreProperties(ignoreUnknown = true)
public record UserRegistered(
        @JsonProperty("user") String user,
        @JsonProperty("address") String address) {
}
