package io.github.ordersaga.janitor.saga;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.github.ordersaga.api.inventory.ReleaseStock;
import io.github.ordersaga.api.inventory.StockReleased;
import io.github.ordersaga.api.inventory.StockReservationRejected;
import io.github.ordersaga.api.inventory.StockReserved;
import io.github.ordersaga.api.order.CancelOrder;
import io.github.ordersaga.api.order.OrderCancelled;
import io.github.ordersaga.api.order.OrderCompleted;
import io.github.ordersaga.api.order.OrderCreated;
import io.github.ordersaga.api.order.OrderRejected;
import io.github.ordersaga.api.payment.InvoiceVoided;
import io.github.ordersaga.api.payment.PaymentCreated;
import io.github.ordersaga.api.payment.PaymentRejected;
import io.github.ordersaga.api.payment.VoidInvoice;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The janitor: one saga per order that undoes every step of an order that failed or took too long.
 *
 * <p>It hears every event of its order ({@link #ORDER_ID} association), from several topics, in any order and
 * possibly twice, and starts on whichever comes first ({@code @StartSaga} on every handler with the default
 * creation policy: a new saga only if none is associated with the order yet). It never sends {@code CompleteOrder}:
 * the order context completes an order itself on {@code PaymentCreated}.
 *
 * <h2>What it knows</h2>
 * It records the {@link Step}s it has seen. A step also proves the steps before it, even when their events have not
 * arrived yet: {@code StockReserved}/{@code StockReservationRejected}/{@code OrderCancelled} ⇒ {@code OrderCreated};
 * {@code PaymentCreated}/{@code PaymentRejected}/{@code StockReleased} ⇒ {@code StockReserved};
 * {@code OrderCompleted}/{@code InvoiceVoided} ⇒ {@code PaymentCreated}. The contexts' policies answer every
 * {@code OrderCreated} with {@code StockReserved} or {@code StockReservationRejected} and every {@code StockReserved}
 * with {@code PaymentCreated} or {@code PaymentRejected}, and no event is lost (outbox). So the saga can tell when its
 * order's story is over, and it never ends while an event of its order is still on its way: such an event would
 * start a fresh saga that knows nothing and would time out and compensate a finished order.
 *
 * <h2>When it ends</h2>
 * When all of these hold: the pipeline's last step is known ({@code OrderRejected}, {@code StockReservationRejected},
 * {@code PaymentRejected} or {@code PaymentCreated}); every event proven by what it saw has arrived; the order is
 * settled ({@code OrderRejected}, {@code OrderCompleted} or {@code OrderCancelled} seen); and, if it compensates,
 * {@code StockReleased} has confirmed the release of reserved stock and {@code InvoiceVoided} the voiding of an
 * existing invoice.
 *
 * <h2>Cases</h2>
 * <pre>
 * situation                                  | commands sent (in this order)            | saga ends after
 * -------------------------------------------+------------------------------------------+------------------------------------------
 * OrderCreated, StockReserved, PaymentCreated| none (deadline cancelled on payment)     | OrderCompleted (and every earlier event)
 * OrderRejected (any position)               | none: order is already REJECTED and      | at once
 *                                            | nothing was done (a CancelOrder would    |
 *                                            | be ignored, no OrderCancelled would come)|
 * StockReservationRejected(r)                | CancelOrder(r) (nothing was reserved)    | OrderCancelled, OrderCreated
 * PaymentRejected(r)                         | ReleaseStock, CancelOrder(r)             | StockReleased, OrderCancelled, and
 *                                            | (ReleaseStock needs the item: it waits   | OrderCreated + StockReserved arrived
 *                                            | for OrderCreated or StockReserved)       |
 * ORDER_TIMEOUT, only OrderCreated seen      | CancelOrder("timeout")                   | OrderCancelled, and the reservation's
 *                                            |                                          | answer (+ compensations it causes)
 * ORDER_TIMEOUT, stock reserved, not paid    | CancelOrder("timeout"); once             | OrderCancelled, StockReleased, and the
 *                                            | OrderCancelled came: ReleaseStock        | payment's answer (+ its compensation)
 * late StockReserved while compensating      | ReleaseStock                             | + StockReleased
 * late PaymentCreated while compensating     | VoidInvoice (+ ReleaseStock if not yet), | + InvoiceVoided
 *                                            | after a timeout once OrderCancelled came |
 * late OrderCreated / rejection while        | nothing new (reason stays the first one) | —
 *   compensating                             |                                          |
 * OrderCancelled we did not ask for          | VoidInvoice / ReleaseStock for what was  | their confirmations
 *                                            | done (a cancelled order holds nothing)   |
 * OrderCompleted after a timeout (the order  | nothing more: CancelOrder no longer sent | at once (every earlier event arrived):
 *   context completed it before our          | (ignored for a COMPLETED order), stock   | a completed order keeps its stock and
 *   CancelOrder arrived)                     | and invoice not given back               | its invoice
 * the same event twice                       | nothing new                              | —
 * a confirmation lost / late                 | every unconfirmed command again after    | its confirmation
 *                                            | COMPENSATION_RETRY, then every period    |
 * </pre>
 * Each re-send is logged at WARN, from the {@value #LOUD_AFTER_RESENDS}th on at ERROR, and {@link #getResends()} shows
 * the count. After {@link SagaTimeouts#maxResends()} re-sends still unconfirmed (a compensation for an order nobody
 * knows, a context that keeps refusing it) the saga gives up: it logs so at ERROR, sends nothing more and stays open
 * as {@link Stage#GAVE_UP}, shown by {@code GET /sagas} and on the page, for a person to look at; a confirmation
 * that still comes ends it as usual.
 * A payment that lands after the timeout races the {@code CancelOrder} at the order context, which decides: the order
 * ends COMPLETED (and keeps its stock and invoice) or CANCELLED (and the saga gives both back). The reliability
 * suite found the earlier rule, undo at once, voiding the invoices of orders that then completed.
 *
 * <h2>Stages</h2>
 * {@link Stage}: {@code STARTED → ORDER_CREATED → STOCK_RESERVED → PAID → COMPLETED}, or from any of them
 * {@code → COMPENSATING → COMPENSATED}; the two last ones are reached as the saga ends. A compensation that stays
 * unconfirmed through every re-send leaves the saga open at {@code GAVE_UP}.
 *
 * <p>Resources ({@link CommandGateway}, {@link DeadlineManager}, {@link SagaTimeouts}) come in as handler
 * parameters, so the state holds only plain data and serialises with Jackson (fields only; the getters are for
 * reading, not part of the JSON).
 */
@Saga
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE,
        creatorVisibility = Visibility.NONE)
public class OrderSaga {

    /** Every event of the published language names its order {@code orderId} ({@code uuid} on the wire). */
    public static final String ORDER_ID = "orderId";
    /** Fires when the order's outcome is still open {@link SagaTimeouts#orderTimeout()} after the saga began. */
    public static final String ORDER_TIMEOUT = "order-timeout";
    /** Fires {@link SagaTimeouts#compensationRetry()} after compensating commands were sent and not all confirmed. */
    public static final String COMPENSATION_RETRY = "compensation-retry";
    /** The reason given when the order timed out. */
    public static final String TIMEOUT_REASON = "timeout";
    /** From this many re-sends on, each re-send is logged at ERROR. */
    public static final int LOUD_AFTER_RESENDS = 10;

    private static final Logger log = LoggerFactory.getLogger(OrderSaga.class);

    // In Micrometer's global registry, which Spring Boot adds its own to: the saga takes no resource for counting, and
    // its state stays plain data. The open sagas are a gauge over the saga store (JanitorConfiguration).
    private static final Counter ENDED_COMPLETED = Metrics.counter("ordersaga.janitor.sagas.ended", "outcome", "completed");
    private static final Counter ENDED_COMPENSATED = Metrics.counter("ordersaga.janitor.sagas.ended", "outcome", "compensated");
    private static final Counter GAVE_UP = Metrics.counter("ordersaga.janitor.sagas.gave.up");

    /** Where the order is, as the saga sees it. */
    public enum Stage {
        /** Only a confirmation was seen so far; no step of the pipeline is known. */
        STARTED,
        ORDER_CREATED,
        STOCK_RESERVED,
        /** The invoice exists; the order context completes the order. */
        PAID,
        /** Ended: the order completed. */
        COMPLETED,
        /** A rejection, a timeout or a cancellation: undoing what was done, waiting for the confirmations. */
        COMPENSATING,
        /** Ended: everything done was undone and confirmed. */
        COMPENSATED,
        /** Compensating, and its commands went unconfirmed through every re-send: nothing more is sent. */
        GAVE_UP
    }

    /** An event of the order, as a fact the saga has seen. */
    public enum Step {
        ORDER_CREATED, ORDER_REJECTED, STOCK_RESERVED, STOCK_REJECTED, STOCK_RELEASED,
        PAYMENT_CREATED, PAYMENT_REJECTED, INVOICE_VOIDED, ORDER_COMPLETED, ORDER_CANCELLED;

        /** The step this one proves to have happened before it. */
        Step proves() {
            return switch (this) {
                case STOCK_RESERVED, STOCK_REJECTED, ORDER_CANCELLED -> ORDER_CREATED;
                case PAYMENT_CREATED, PAYMENT_REJECTED, STOCK_RELEASED -> STOCK_RESERVED;
                case ORDER_COMPLETED, INVOICE_VOIDED -> PAYMENT_CREATED;
                case ORDER_CREATED, ORDER_REJECTED -> null;
            };
        }
    }

    /** A compensating command the saga may send, in the order it sends them. */
    public enum Compensation { VOID_INVOICE, RELEASE_STOCK, CANCEL_ORDER }

    /**
     * Payload of the {@value #ORDER_TIMEOUT} deadline. (A deadline handler's first parameter is its payload, so
     * the resources can only follow a payload; it also names the order in the deadline store.)
     */
    public record OrderTimeoutDue(String orderId) {
    }

    /** Payload of the {@value #COMPENSATION_RETRY} deadline. */
    public record CompensationRetryDue(String orderId) {
    }

    private String orderId;
    private Stage stage = Stage.STARTED;
    private Instant startedAt;
    private String item;
    private EnumSet<Step> seen = EnumSet.noneOf(Step.class);
    /** Set when compensation began; the reason sent with {@code CancelOrder} and {@code VoidInvoice}. */
    private String reason;
    private EnumSet<Compensation> sent = EnumSet.noneOf(Compensation.class);
    private int resends;
    private String timeoutDeadlineId;
    private String retryDeadlineId;

    public OrderSaga() {
    }

    // ---- the order context

    @StartSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(OrderCreated event, @Timestamp Instant at,
                   CommandGateway commands, DeadlineManager deadlines, SagaTimeouts timeouts) {
        saw(Step.ORDER_CREATED, event.orderId(), event.item(), at);
        advance(commands, deadlines, timeouts);
    }

    @StartSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(OrderRejected event, @Timestamp Instant at,
                   CommandGateway commands, DeadlineManager deadlines, SagaTimeouts timeouts) {
        saw(Step.ORDER_REJECTED, event.orderId(), null, at);
        compensate(event.reason());
        advance(commands, deadlines, timeouts);
    }

    @StartSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(OrderCompleted event, @Timestamp Instant at,
                   CommandGateway commands, DeadlineManager deadlines, SagaTimeouts timeouts) {
        saw(Step.ORDER_COMPLETED, event.orderId(), null, at);
        advance(commands, deadlines, timeouts);
    }

    @StartSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(OrderCancelled event, @Timestamp Instant at,
                   CommandGateway commands, DeadlineManager deadlines, SagaTimeouts timeouts) {
        saw(Step.ORDER_CANCELLED, event.orderId(), null, at);
        compensate(event.reason());
        advance(commands, deadlines, timeouts);
    }

    // ---- the inventory context

    @StartSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StockReserved event, @Timestamp Instant at,
                   CommandGateway commands, DeadlineManager deadlines, SagaTimeouts timeouts) {
        saw(Step.STOCK_RESERVED, event.orderId(), event.item(), at);
        advance(commands, deadlines, timeouts);
    }

    @StartSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StockReservationRejected event, @Timestamp Instant at,
                   CommandGateway commands, DeadlineManager deadlines, SagaTimeouts timeouts) {
        saw(Step.STOCK_REJECTED, event.orderId(), event.item(), at);
        compensate(event.reason());
        advance(commands, deadlines, timeouts);
    }

    @StartSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StockReleased event, @Timestamp Instant at,
                   CommandGateway commands, DeadlineManager deadlines, SagaTimeouts timeouts) {
        saw(Step.STOCK_RELEASED, event.orderId(), event.item(), at);
        advance(commands, deadlines, timeouts);
    }

    // ---- the payment context

    @StartSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(PaymentCreated event, @Timestamp Instant at,
                   CommandGateway commands, DeadlineManager deadlines, SagaTimeouts timeouts) {
        saw(Step.PAYMENT_CREATED, event.orderId(), event.item(), at);
        advance(commands, deadlines, timeouts);
    }

    @StartSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(PaymentRejected event, @Timestamp Instant at,
                   CommandGateway commands, DeadlineManager deadlines, SagaTimeouts timeouts) {
        saw(Step.PAYMENT_REJECTED, event.orderId(), null, at);
        compensate(event.reason());
        advance(commands, deadlines, timeouts);
    }

    @StartSaga
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(InvoiceVoided event, @Timestamp Instant at,
                   CommandGateway commands, DeadlineManager deadlines, SagaTimeouts timeouts) {
        saw(Step.INVOICE_VOIDED, event.orderId(), null, at);
        advance(commands, deadlines, timeouts);
    }

    // ---- deadlines

    @DeadlineHandler(deadlineName = ORDER_TIMEOUT)
    public void on(OrderTimeoutDue deadline, CommandGateway commands, DeadlineManager deadlines, SagaTimeouts timeouts) {
        timeoutDeadlineId = null;
        if (!compensating() && !outcomeKnown()) {
            log.warn("Order {} still open after {} at stage {}: compensating", orderId, timeouts.orderTimeout(), stage);
            compensate(TIMEOUT_REASON);
        }
        advance(commands, deadlines, timeouts);
    }

    @DeadlineHandler(deadlineName = COMPENSATION_RETRY)
    public void on(CompensationRetryDue deadline, CommandGateway commands, DeadlineManager deadlines, SagaTimeouts timeouts) {
        retryDeadlineId = null;
        Map<Compensation, Object> unconfirmed = unconfirmed();
        if (!unconfirmed.isEmpty() && resends >= timeouts.maxResends()) {
            stage = Stage.GAVE_UP;
            countOnCommit(GAVE_UP);
            log.error("Order {}: gave up compensating after {} re-sends ({} apart); unconfirmed: {}. Nothing more is sent; "
                            + "the saga stays open as GAVE_UP (GET /sagas) for a person to look at, and a confirmation "
                            + "that still comes ends it", orderId, resends, timeouts.compensationRetry(), unconfirmed.keySet());
            return;
        }
        if (!unconfirmed.isEmpty()) {
            resends++;
            if (resends >= LOUD_AFTER_RESENDS) {
                log.error("Order {}: compensation still unconfirmed, re-send #{} of {}", orderId, resends,
                        unconfirmed.keySet());
            } else {
                log.warn("Order {}: compensation unconfirmed, re-send #{} of {}", orderId, resends,
                        unconfirmed.keySet());
            }
            unconfirmed.values().forEach(commands::send);
        }
        advance(commands, deadlines, timeouts);
    }

    // ---- the rules

    /** Once the handling commits: a batch rolled back and handled again counts once. */
    private static void countOnCommit(Counter counter) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(u -> counter.increment());
        } else {
            counter.increment();
        }
    }

    private void saw(Step step, String orderId, String item, Instant at) {
        if (this.orderId == null) {
            this.orderId = orderId;
            this.startedAt = at;
        }
        if (this.item == null && item != null) {
            this.item = item;
        }
        seen.add(step);
    }

    private void compensate(String why) {
        if (!compensating()) {
            reason = why == null || why.isBlank() ? "unknown" : why;
            log.info("Order {}: compensating, reason '{}'", orderId, reason);
        }
    }

    /** Sends what became necessary, ends the saga when its order's story is over, (re)arms or cancels deadlines. */
    private void advance(CommandGateway commands, DeadlineManager deadlines, SagaTimeouts timeouts) {
        unconfirmed().forEach((compensation, command) -> {
            if (sent.add(compensation)) {
                commands.send(command);
            }
        });
        if (finished()) {
            cancelTimeout(deadlines);
            cancelRetry(deadlines);
            stage = undoing() ? Stage.COMPENSATED : Stage.COMPLETED;
            log.info("Order {}: saga ends {}{}", orderId, stage, undoing() ? " (" + reason + ")" : "");
            countOnCommit(stage == Stage.COMPLETED ? ENDED_COMPLETED : ENDED_COMPENSATED);
            SagaLifecycle.end();
            return;
        }
        if (stage != Stage.GAVE_UP) {
            stage = currentStage();
        }
        if (!compensating() && !outcomeKnown()) {
            if (timeoutDeadlineId == null) {
                timeoutDeadlineId = deadlines.schedule(timeouts.orderTimeout(), ORDER_TIMEOUT,
                        new OrderTimeoutDue(orderId));
            }
        } else {
            cancelTimeout(deadlines);
        }
        if (!unconfirmed().isEmpty() && stage != Stage.GAVE_UP) {
            if (retryDeadlineId == null) {
                retryDeadlineId = deadlines.schedule(timeouts.compensationRetry(), COMPENSATION_RETRY,
                        new CompensationRetryDue(orderId));
            }
        } else {
            cancelRetry(deadlines);
        }
    }

    /** The compensating commands owed and not yet confirmed by their events, in sending order. */
    private Map<Compensation, Object> unconfirmed() {
        Map<Compensation, Object> owed = new EnumMap<>(Compensation.class);
        if (!compensating()) {
            return owed;
        }
        Set<Step> known = known();
        if (undoing() && (!timedOut() || seen.contains(Step.ORDER_CANCELLED))) {
            if (known.contains(Step.PAYMENT_CREATED) && !seen.contains(Step.INVOICE_VOIDED)) {
                owed.put(Compensation.VOID_INVOICE, new VoidInvoice(orderId, reason));
            }
            if (known.contains(Step.STOCK_RESERVED) && !seen.contains(Step.STOCK_RELEASED) && item != null) {
                owed.put(Compensation.RELEASE_STOCK, new ReleaseStock(item, orderId));
            }
        }
        if (!orderSettled()) {
            owed.put(Compensation.CANCEL_ORDER, new CancelOrder(orderId, reason));
        }
        return owed;
    }

    private boolean finished() {
        Set<Step> known = known();
        boolean everyProvenEventArrived = seen.containsAll(known);
        boolean stockSettled = !undoing() || !known.contains(Step.STOCK_RESERVED)
                || seen.contains(Step.STOCK_RELEASED);
        boolean invoiceSettled = !undoing() || !known.contains(Step.PAYMENT_CREATED)
                || seen.contains(Step.INVOICE_VOIDED);
        return outcomeKnown() && everyProvenEventArrived && orderSettled() && stockSettled && invoiceSettled;
    }

    /** The pipeline's last step is known: nothing more will happen to the order unless the janitor asks. */
    private boolean outcomeKnown() {
        Set<Step> known = known();
        return known.contains(Step.ORDER_REJECTED) || known.contains(Step.STOCK_REJECTED)
                || known.contains(Step.PAYMENT_REJECTED) || known.contains(Step.PAYMENT_CREATED);
    }

    private boolean orderSettled() {
        return seen.contains(Step.ORDER_REJECTED) || seen.contains(Step.ORDER_CANCELLED)
                || seen.contains(Step.ORDER_COMPLETED);
    }

    private boolean compensating() {
        return reason != null;
    }

    /** Compensating, and the order did not complete after all: what was done must be undone. */
    private boolean undoing() {
        return compensating() && !seen.contains(Step.ORDER_COMPLETED);
    }

    /**
     * Compensating because the order took too long. Its payment may still be on its way and complete it before our
     * {@code CancelOrder} arrives, so its stock and invoice are given back only once the order context confirmed the
     * cancellation. (Any other reason is a rejection: such an order can no longer complete.)
     */
    private boolean timedOut() {
        return TIMEOUT_REASON.equals(reason);
    }

    /** What was seen and every step that proves to have happened before. */
    private Set<Step> known() {
        Set<Step> known = EnumSet.noneOf(Step.class);
        for (Step step : seen) {
            for (Step s = step; s != null; s = s.proves()) {
                known.add(s);
            }
        }
        return known;
    }

    private Stage currentStage() {
        Set<Step> known = known();
        if (compensating()) {
            return Stage.COMPENSATING;
        } else if (known.contains(Step.PAYMENT_CREATED)) {
            return Stage.PAID;
        } else if (known.contains(Step.STOCK_RESERVED)) {
            return Stage.STOCK_RESERVED;
        } else if (known.contains(Step.ORDER_CREATED)) {
            return Stage.ORDER_CREATED;
        }
        return Stage.STARTED;
    }

    private void cancelTimeout(DeadlineManager deadlines) {
        if (timeoutDeadlineId != null) {
            deadlines.cancelSchedule(ORDER_TIMEOUT, timeoutDeadlineId);
            timeoutDeadlineId = null;
        }
    }

    private void cancelRetry(DeadlineManager deadlines) {
        if (retryDeadlineId != null) {
            deadlines.cancelSchedule(COMPENSATION_RETRY, retryDeadlineId);
            retryDeadlineId = null;
        }
    }

    // ---- read-only view, for tests and the open-sagas endpoint

    public String getOrderId() {
        return orderId;
    }

    public Stage getStage() {
        return stage;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    /** The compensation's reason, {@code null} unless compensating. */
    public String getReason() {
        return reason;
    }

    public Set<Step> getSeen() {
        return Collections.unmodifiableSet(seen);
    }

    public Set<Compensation> getSent() {
        return Collections.unmodifiableSet(sent);
    }

    public int getResends() {
        return resends;
    }
}
