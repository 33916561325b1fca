package io.github.ordersaga.api.order;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Admin: a user who may place orders (the sample's {@code users} collection). Idempotent. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RegisterUser(
        @TargetAggregateIdentifier @JsonProperty("user") String user,
        @JsonProperty("address") String address) {
}
