package io.github.ordersaga.payment.query;

import io.github.ordersaga.api.payment.InvoiceVoided;
import io.github.ordersaga.api.payment.PaymentCreated;
import io.github.ordersaga.api.payment.PaymentRejected;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;

/**
 * Keys each invoice event on its document, {@code invoices/<uuid>}. Today all of them come from the order's
 * {@code Invoice} aggregate, whose id is the order id, so this equals the default; keyed on the payload it stays
 * right if an inbound event ever writes an invoice document too.
 */
public class InvoiceSequencingPolicy implements SequencingPolicy<EventMessage<?>> {

    @Override
    public Object getSequenceIdentifierFor(EventMessage<?> event) {
        Object payload = event.getPayload();
        if (payload instanceof PaymentCreated e) {
            return e.orderId();
        } else if (payload instanceof PaymentRejected e) {
            return e.orderId();
        } else if (payload instanceof InvoiceVoided e) {
            return e.orderId();
        }
        return SequentialPerAggregatePolicy.instance().getSequenceIdentifierFor(event);
    }
}
