package io.github.ordersaga.inventory.policy;

import io.github.ordersaga.api.inventory.ReserveStock;
import io.github.ordersaga.api.order.OrderCancelled;
import io.github.ordersaga.api.order.OrderCompleted;
import io.github.ordersaga.api.order.OrderCreated;
import io.github.ordersaga.inventory.command.ConfirmReservation;
import jakarta.persistence.EntityManager;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reacts to the order context's events by sending inventory's own commands: a created order reserves its stock, a
 * completed order consumes its reservation.
 * <p>
 * Runs in the {@value #PROCESSING_GROUP} processor's transaction: the command's events, the {@code reservation_items}
 * row and the processor's token commit together, and a failure fails the event, which is retried. Handling an event
 * twice is harmless: the item reserves and confirms once per order, and the row is written once.
 */
@Component
@ProcessingGroup(ReservationPolicy.PROCESSING_GROUP)
@DisallowReplay // sending the commands again on a replay would be a second effect, not a rebuild
public class ReservationPolicy {

    public static final String PROCESSING_GROUP = "policies";

    /** One order's events one after another, so a completion is never handled before the creation it follows. */
    public static final SequencingPolicy<EventMessage<?>> SEQUENCING = event -> {
        Object payload = event.getPayload();
        if (payload instanceof OrderCreated created) {
            return created.orderId();
        } else if (payload instanceof OrderCompleted completed) {
            return completed.orderId();
        } else if (payload instanceof OrderCancelled cancelled) {
            return cancelled.orderId();
        }
        return event.getIdentifier();
    };

    private static final Logger log = LoggerFactory.getLogger(ReservationPolicy.class);

    private final CommandGateway commandGateway;
    private final EntityManager entityManager;

    public ReservationPolicy(CommandGateway commandGateway, EntityManager entityManager) {
        this.commandGateway = commandGateway;
        this.entityManager = entityManager;
    }

    @EventHandler
    void on(OrderCreated event) {
        commandGateway.sendAndWait(new ReserveStock(event.item(), event.orderId(), event.quantity(), event.user(),
                event.paymentError()));
        if (entityManager.find(ReservationItem.class, event.orderId()) == null) {
            entityManager.persist(new ReservationItem(event.orderId(), event.item()));
        }
    }

    @EventHandler
    void on(OrderCompleted event) {
        ReservationItem reservation = entityManager.find(ReservationItem.class, event.orderId());
        if (reservation == null) {
            // Confirmed already (a redelivery), or the order never reached this context.
            log.debug("OrderCompleted for order {} with no reservation on record; ignored", event.orderId());
            return;
        }
        commandGateway.sendAndWait(new ConfirmReservation(reservation.getItem(), event.orderId()));
        entityManager.remove(reservation);
    }

    /** A cancelled order never completes: forget its item (the janitor releases the stock with ReleaseStock). */
    @EventHandler
    void on(OrderCancelled event) {
        ReservationItem reservation = entityManager.find(ReservationItem.class, event.orderId());
        if (reservation != null) {
            entityManager.remove(reservation);
        }
    }
}
