package io.github.ordersaga.payment.command;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.github.ordersaga.api.payment.CreateInvoice;
import io.github.ordersaga.api.payment.InvoiceVoided;
import io.github.ordersaga.api.payment.PaymentCreated;
import io.github.ordersaga.api.payment.PaymentRejected;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.Optional;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The invoice of one order; the id is the order uuid. A refused payment still creates the invoice, as REJECTED:
 * the refusal is recorded in the order's own stream and a redelivered {@code CreateInvoice} finds the invoice and
 * does nothing. Commands arrive through {@link CreateInvoiceHandler} and {@link VoidInvoiceHandler}, which also
 * change the user's {@link Account}.
 */
@Aggregate
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
public class Invoice {

    enum Status { OPEN, REJECTED, VOIDED }

    @AggregateIdentifier
    private String orderId;
    private String user;
    private long total;
    private Status status;

    /** For Axon and Jackson. */
    protected Invoice() {
    }

    /** Whether a {@code CreateInvoice} was decided for this order already, whichever way. */
    boolean decided() {
        return status != null;
    }

    void open(CreateInvoice command, long total) {
        if (!decided()) {
            apply(new PaymentCreated(command.orderId(), command.user(), command.item(), command.quantity(),
                    command.pricePerUnit(), total));
        }
    }

    void reject(CreateInvoice command, long total, String reason) {
        if (!decided()) {
            apply(new PaymentRejected(command.orderId(), command.user(), total, reason));
        }
    }

    /**
     * Voids an open invoice; a rejected or voided one stays as it is.
     *
     * @return the void, if this call voided it, so the caller gives the credit back exactly once
     */
    Optional<InvoiceVoided> voidFor(String reason) {
        if (status != Status.OPEN) {
            return Optional.empty();
        }
        InvoiceVoided voided = new InvoiceVoided(orderId, user, total, reason);
        apply(voided);
        return Optional.of(voided);
    }

    @EventSourcingHandler
    void on(PaymentCreated event) {
        orderId = event.orderId();
        user = event.user();
        total = event.totalInvoice();
        status = Status.OPEN;
    }

    @EventSourcingHandler
    void on(PaymentRejected event) {
        orderId = event.orderId();
        user = event.user();
        total = event.totalInvoice();
        status = Status.REJECTED;
    }

    @EventSourcingHandler
    void on(InvoiceVoided event) {
        status = Status.VOIDED;
    }
}
