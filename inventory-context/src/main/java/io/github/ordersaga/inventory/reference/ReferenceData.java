package io.github.ordersaga.inventory.reference;

import io.github.ordersaga.api.inventory.DefineItem;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The sample's data-init for inventory: items widget (10000 @ 10) and wotsit (20000 @ 15). Goes through commands,
 * like any other change; defining an existing item changes nothing, so every start may run it.
 */
@Component
@ConditionalOnProperty(name = "ordersaga.reference-data.enabled", havingValue = "true", matchIfMissing = true)
public class ReferenceData implements ApplicationRunner {

    public static final List<DefineItem> ITEMS = List.of(
            new DefineItem("widget", 10_000, 10),
            new DefineItem("wotsit", 20_000, 15));

    private static final Logger log = LoggerFactory.getLogger(ReferenceData.class);

    private final CommandGateway commandGateway;

    public ReferenceData(CommandGateway commandGateway) {
        this.commandGateway = commandGateway;
    }

    @Override
    public void run(ApplicationArguments args) {
        ITEMS.forEach(commandGateway::sendAndWait);
        log.info("Reference items ensured: {}", ITEMS.stream().map(DefineItem::item).toList());
    }
}
