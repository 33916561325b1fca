package io.github.ordersaga.payment.policy;

import io.github.ordersaga.api.inventory.StockReserved;
import io.github.ordersaga.api.payment.CreateInvoice;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reserved stock is invoiced: {@code StockReserved} carries everything the invoice needs (user, item, quantity,
 * price per unit, the simulated-failure flag). {@code StockReleased}, on the same topic, needs nothing here: a
 * released order's invoice is voided by the janitor's {@code VoidInvoice}. A redelivered {@code StockReserved}
 * finds the invoice decided and changes nothing.
 */
@Component
@ProcessingGroup("policies")
public class StockReservedPolicy {

    private static final Logger log = LoggerFactory.getLogger(StockReservedPolicy.class);

    private final CommandGateway commands;

    public StockReservedPolicy(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    @DisallowReplay
    void on(StockReserved reserved) {
        // sendAndWait: a failure fails this event, which the processor then retries.
        commands.sendAndWait(new CreateInvoice(reserved.orderId(), reserved.user(), reserved.item(),
                reserved.quantity(), reserved.pricePerUnit(), reserved.paymentError()));
        log.info("order {}: {} {} at {} reserved, invoice requested for {}", reserved.orderId(), reserved.quantity(),
                reserved.item(), reserved.pricePerUnit(), reserved.user());
    }
}
