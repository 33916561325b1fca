package io.github.ordersaga.api.payment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

@JsonIgnoreProperties(ignoreUnknown = true)
public record CreditLimitSet(
        @JsonProperty("user") String user,
        @JsonProperty("credit_limit") long creditLimit) {
}
