package io.github.ordersaga.order.query;

import io.github.ordersaga.api.inventory.StockReserved;
import io.github.ordersaga.api.order.OrderCompleted;
import io.github.ordersaga.api.order.OrderCreated;
import io.github.ordersaga.api.order.UserRegistered;
import io.github.ordersaga.api.payment.PaymentCreated;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OrderSequencingPolicyTest {

    private final OrderSequencingPolicy policy = new OrderSequencingPolicy();

    @Test
    void theOrdersOwnEventsAndTheInboundOnesOfOneOrderShareASequence() {
        Object created = policy.getSequenceIdentifierFor(
                new GenericDomainEventMessage<>("Order", "o-1", 0, new OrderCreated("o-1", "widget", 5, "jack", false)));
        // As the store hands back an inbound event: a domain event whose aggregate id is its own event id.
        Object reserved = policy.getSequenceIdentifierFor(new GenericDomainEventMessage<>(null, "event-id-1", 0,
                new StockReserved("o-1", "widget", 5, "jack", 10, 95, false)));
        Object paid = policy.getSequenceIdentifierFor(
                GenericEventMessage.asEventMessage(new PaymentCreated("o-1", "jack", "widget", 5, 10, 50)));
        Object completed = policy.getSequenceIdentifierFor(
                new GenericDomainEventMessage<>("Order", "o-1", 1, new OrderCompleted("o-1")));

        assertThat(reserved).isEqualTo(created).isEqualTo(paid).isEqualTo(completed);
        assertThat(policy.getSequenceIdentifierFor(GenericEventMessage.asEventMessage(new OrderCompleted("o-2"))))
                .isNotEqualTo(created);
    }

    @Test
    void aUsersEventsShareASequence() {
        assertThat(policy.getSequenceIdentifierFor(GenericEventMessage.asEventMessage(new UserRegistered("jack", "a"))))
                .isEqualTo(policy.getSequenceIdentifierFor(
                        new GenericDomainEventMessage<>("Customer", "jack", 1, new UserRegistered("jack", "b"))));
    }
}
