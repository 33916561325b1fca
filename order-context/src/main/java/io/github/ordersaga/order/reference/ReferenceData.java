package io.github.ordersaga.order.reference;

import io.github.ordersaga.api.order.RegisterUser;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The sample's data-init for this context: users jack and jill. Through commands, never by writing Firestore, so the
 * users projection shows them; {@code RegisterUser} with the same address changes nothing, so every start may run it.
 * An address of jack or jill changed at runtime through {@code POST /admin/users} is set back at the next start.
 */
@Component
@ConditionalOnProperty(name = "ordersaga.reference-data.enabled", havingValue = "true", matchIfMissing = true)
public class ReferenceData implements ApplicationRunner {

    static final List<RegisterUser> USERS = List.of(
            new RegisterUser("jack", "123 fake street"),
            new RegisterUser("jill", "456 other street"));

    private static final Logger log = LoggerFactory.getLogger(ReferenceData.class);

    private final CommandGateway commands;

    public ReferenceData(CommandGateway commands) {
        this.commands = commands;
    }

    @Override
    public void run(ApplicationArguments args) {
        USERS.forEach(commands::sendAndWait);
        log.info("reference data: users {} registered", USERS.stream().map(RegisterUser::user).toList());
    }
}
