package io.github.ordersaga.pubsub.outbound;

import io.github.ordersaga.pubsub.message.PubSubMessageConverter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;

/**
 * Puts all events of one ordering key (one order) in the same processor segment, so they are published
 * in the order they were stored, which is what an ordered subscription then delivers.
 */
public class OrderingKeySequencingPolicy implements SequencingPolicy<EventMessage<?>> {

    private final PubSubMessageConverter converter;

    public OrderingKeySequencingPolicy(PubSubMessageConverter converter) {
        this.converter = converter;
    }

    @Override
    public Object getSequenceIdentifierFor(EventMessage<?> event) {
        String key = converter.orderingKey(event);
        return key != null ? key : event.getIdentifier();
    }
}
