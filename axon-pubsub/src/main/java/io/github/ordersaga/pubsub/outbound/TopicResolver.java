package io.github.ordersaga.pubsub.outbound;

import io.github.ordersaga.pubsub.message.MessageTypes;
import org.axonframework.eventhandling.EventMessage;

import java.util.Map;
import java.util.Optional;

/** Picks the topic an event is published to; events without one stay inside the app. */
@FunctionalInterface
public interface TopicResolver {

    Optional<String> topicFor(EventMessage<?> event);

    /** Routes by the event's type name, e.g. {@code OrderCreated -> order-created}. */
    static TopicResolver byTypeName(Map<String, String> typeToTopic) {
        Map<String, String> routes = Map.copyOf(typeToTopic);
        return event -> Optional.ofNullable(routes.get(MessageTypes.nameOf(event.getPayloadType())));
    }
}
