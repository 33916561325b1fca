package io.github.ordersaga.inventory.command;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.github.ordersaga.api.inventory.DefineItem;
import io.github.ordersaga.api.inventory.ItemDefined;
import io.github.ordersaga.api.inventory.ItemRestocked;
import io.github.ordersaga.api.inventory.ReserveStock;
import io.github.ordersaga.api.inventory.RestockItem;
import io.github.ordersaga.api.inventory.StockReleased;
import io.github.ordersaga.api.inventory.StockReservationRejected;
import io.github.ordersaga.api.inventory.StockReserved;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One item's stock; the id is the item name. Every stock change is decided here, so Axon's optimistic locking on
 * the item's event stream is what prevents overselling.
 * <p>
 * Bounded state, so that a snapshot stays small however many orders went by: the available stock, the price, the
 * open reservations (one per order in flight; each leaves when the order's stock is released or its reservation
 * confirmed) and the ids of the last {@value #RECENTLY_CLOSED_LIMIT} orders whose reservation closed (released,
 * confirmed or rejected). The latter make a late duplicate {@code ReserveStock} a no-op; a duplicate arriving
 * after more than that many later orders closed would reserve again, which the janitor then compensates.
 * <p>
 * {@code ReserveStock}, {@code ReleaseStock} and {@link ConfirmReservation} arrive through {@link ReservationHandler},
 * which answers for items that do not exist.
 */
@Aggregate(snapshotTriggerDefinition = "inventoryItemSnapshotTrigger", cache = "inventoryItemCache")
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
public class InventoryItem {

    /** How many closed order ids the item remembers to ignore late duplicates. */
    public static final int RECENTLY_CLOSED_LIMIT = 1_000;
    /**
     * A snapshot every this many events: a load reads one snapshot and fewer events than this. At 100 the worst
     * case (99 events after the snapshot) loaded 4-6x slower than an item with 10 orders (ItemLoadBenchmark).
     */
    public static final int SNAPSHOT_THRESHOLD = 25;

    @AggregateIdentifier
    private String item;
    private long available;
    private long pricePerUnit;
    /** Order id → reserved quantity. */
    private LinkedHashMap<String, Integer> openReservations = new LinkedHashMap<>();
    /** Oldest first; a concrete LinkedHashSet so Jackson keeps the order when reading a snapshot. */
    private LinkedHashSet<String> recentlyClosed = new LinkedHashSet<>();

    /** For Axon and Jackson. */
    protected InventoryItem() {
    }

    /** Defining an existing item again changes nothing (data-init may run twice). */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(DefineItem command) {
        if (item != null) {
            return;
        }
        if (command.stock() < 0 || command.pricePerUnit() < 0) {
            throw new IllegalArgumentException("stock and price must not be negative, were "
                    + command.stock() + " and " + command.pricePerUnit());
        }
        apply(new ItemDefined(command.item(), command.stock(), command.pricePerUnit()));
    }

    @CommandHandler
    public void handle(RestockItem command) {
        if (command.quantity() <= 0) {
            throw new IllegalArgumentException("restock quantity must be positive, was " + command.quantity());
        }
        apply(new ItemRestocked(item, command.quantity(), Math.addExact(available, command.quantity())));
    }

    /** One order reserves at most once: an open or recently closed order id makes this a no-op. */
    void reserve(ReserveStock command) {
        String orderId = command.orderId();
        if (knows(orderId)) {
            return;
        }
        if (command.quantity() <= 0) {
            apply(new StockReservationRejected(orderId, item, command.quantity(),
                    "quantity must be positive, was " + command.quantity()));
        } else if (command.quantity() > available) {
            apply(new StockReservationRejected(orderId, item, command.quantity(),
                    "not enough stock: " + command.quantity() + " wanted, " + available + " available"));
        } else {
            apply(new StockReserved(orderId, item, command.quantity(), command.user(), pricePerUnit,
                    available - command.quantity(), command.paymentError()));
        }
    }

    /** Gives an open reservation back to stock; anything else (released already, unknown) is a no-op. */
    void release(String orderId) {
        Integer quantity = openReservations.get(orderId);
        if (quantity != null) {
            apply(new StockReleased(orderId, item, quantity, available + quantity));
        }
    }

    /** Closes an open reservation for good, stock stays taken; anything else is a no-op. */
    void confirm(String orderId) {
        Integer quantity = openReservations.get(orderId);
        if (quantity != null) {
            apply(new ReservationConfirmed(orderId, item, quantity));
        }
    }

    private boolean knows(String orderId) {
        return openReservations.containsKey(orderId) || recentlyClosed.contains(orderId);
    }

    @EventSourcingHandler
    void on(ItemDefined event) {
        item = event.item();
        available = event.stock();
        pricePerUnit = event.pricePerUnit();
    }

    @EventSourcingHandler
    void on(ItemRestocked event) {
        available = event.available();
    }

    @EventSourcingHandler
    void on(StockReserved event) {
        available = event.available();
        openReservations.put(event.orderId(), event.quantity());
    }

    @EventSourcingHandler
    void on(StockReservationRejected event) {
        close(event.orderId());
    }

    @EventSourcingHandler
    void on(StockReleased event) {
        available = event.available();
        close(event.orderId());
    }

    @EventSourcingHandler
    void on(ReservationConfirmed event) {
        close(event.orderId());
    }

    private void close(String orderId) {
        openReservations.remove(orderId);
        recentlyClosed.add(orderId);
        Iterator<String> oldestFirst = recentlyClosed.iterator();
        while (recentlyClosed.size() > RECENTLY_CLOSED_LIMIT) {
            oldestFirst.next();
            oldestFirst.remove();
        }
    }
}
