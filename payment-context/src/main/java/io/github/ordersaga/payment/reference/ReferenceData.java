package io.github.ordersaga.payment.reference;

import io.github.ordersaga.api.payment.SetCreditLimit;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The sample's data-init for this context: credit for jack and jill, enough for the sample's successful orders
 * (50 widgets at 10 = 500). Setting a limit an account already has changes nothing, so every start may run it; a
 * limit changed at runtime through the admin endpoint is set back to this one at the next start.
 */
@Component
@ConditionalOnProperty(name = "ordersaga.reference-data.enabled", havingValue = "true", matchIfMissing = true)
public class ReferenceData implements ApplicationRunner {

    static final List<SetCreditLimit> CREDIT_LIMITS = List.of(
            new SetCreditLimit("jack", 1_000_000),
            new SetCreditLimit("jill", 1_000_000));

    private static final Logger log = LoggerFactory.getLogger(ReferenceData.class);

    private final CommandGateway commands;

    public ReferenceData(CommandGateway commands) {
        this.commands = commands;
    }

    @Override
    public void run(ApplicationArguments args) {
        CREDIT_LIMITS.forEach(commands::sendAndWait);
        log.info("reference data: credit limits {}", CREDIT_LIMITS.stream()
                .map(l -> l.user() + "=" + l.creditLimit()).toList());
    }
}
