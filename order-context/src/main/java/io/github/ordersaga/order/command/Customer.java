package io.github.ordersaga.order.command;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.github.ordersaga.api.order.RegisterUser;
import io.github.ordersaga.api.order.UserRegistered;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.Objects;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A user who may place orders; the id is the user name. {@link PlaceOrderHandler} asks only whether one exists.
 * Registering again with the same address changes nothing; with another address it records the new one
 * (a {@code UserRegistered} with the new address), so that re-running data-init after an address change updates
 * the users projection instead of silently keeping the old address.
 */
@Aggregate(cache = "customerCache")
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
public class Customer {

    @AggregateIdentifier
    private String user;
    private String address;

    /** For Axon and Jackson. */
    protected Customer() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RegisterUser command) {
        boolean registered = user != null;
        if (registered && Objects.equals(address, command.address())) {
            return;
        }
        apply(new UserRegistered(command.user(), command.address()));
    }

    @EventSourcingHandler
    void on(UserRegistered event) {
        user = event.user();
        address = event.address();
    }
}
