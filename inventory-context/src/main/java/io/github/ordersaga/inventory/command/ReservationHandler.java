package io.github.ordersaga.inventory.command;

import io.github.ordersaga.api.inventory.ReleaseStock;
import io.github.ordersaga.api.inventory.ReserveStock;
import io.github.ordersaga.api.inventory.StockReservationRejected;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Routes reservation commands to the {@link InventoryItem}, and answers for items that do not exist, which cannot
 * apply events themselves: a reservation of an unknown item is rejected with a plain event (stored in the event
 * store and published by the outbox like any other); releasing or confirming on an unknown item changes nothing,
 * so a compensation never fails.
 */
@Component
public class ReservationHandler {

    private static final Logger log = LoggerFactory.getLogger(ReservationHandler.class);

    private final Repository<InventoryItem> inventoryItemRepository;
    private final EventGateway eventGateway;

    public ReservationHandler(Repository<InventoryItem> inventoryItemRepository, EventGateway eventGateway) {
        this.inventoryItemRepository = inventoryItemRepository;
        this.eventGateway = eventGateway;
    }

    @CommandHandler
    public void handle(ReserveStock command) {
        find(command.item()).ifPresentOrElse(
                item -> item.execute(i -> i.reserve(command)),
                () -> eventGateway.publish(new StockReservationRejected(command.orderId(), command.item(),
                        command.quantity(), "unknown item '" + command.item() + "'")));
    }

    @CommandHandler
    public void handle(ReleaseStock command) {
        find(command.item()).ifPresentOrElse(
                item -> item.execute(i -> i.release(command.orderId())),
                () -> log.info("ReleaseStock for order {} of unknown item '{}' ignored", command.orderId(),
                        command.item()));
    }

    @CommandHandler
    public void handle(ConfirmReservation command) {
        find(command.item()).ifPresentOrElse(
                item -> item.execute(i -> i.confirm(command.orderId())),
                () -> log.info("ConfirmReservation for order {} of unknown item '{}' ignored", command.orderId(),
                        command.item()));
    }

    private Optional<Aggregate<InventoryItem>> find(String item) {
        try {
            return Optional.of(inventoryItemRepository.load(item));
        } catch (AggregateNotFoundException notFound) {
            return Optional.empty();
        }
    }
}
