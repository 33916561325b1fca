package io.github.ordersaga.testsupport;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.Message;
import org.axonframework.modelling.command.Repository;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Event-sourced aggregates of the type an {@code AggregateTestFixture} does not own (a fixture handles one
 * aggregate type), on an in-memory event store: real Axon loading, so "not found" is Axon's own
 * {@code AggregateNotFoundException}.
 */
public final class InMemoryAggregates<T> {

    private final Class<T> type;
    private final EmbeddedEventStore store =
            EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
    private final Repository<T> repository;
    private final Map<String, Integer> givenCounts = new HashMap<>();

    public InMemoryAggregates(Class<T> type) {
        this.type = type;
        this.repository = EventSourcingRepository.builder(type).eventStore(store).build();
    }

    public Repository<T> repository() {
        return repository;
    }

    /** The aggregate {@code id} has these past events. */
    public InMemoryAggregates<T> given(String id, Object... events) {
        int sequence = givenCounts.getOrDefault(id, 0);
        for (Object event : events) {
            store.publish(new GenericDomainEventMessage<>(type.getSimpleName(), id, sequence++, event));
        }
        givenCounts.put(id, sequence);
        return this;
    }

    /** The events the aggregate {@code id} got after its given ones. */
    public List<Object> newEventsOf(String id) {
        List<Object> all = store.readEvents(id).asStream().<Object>map(Message::getPayload).toList();
        return all.subList(givenCounts.getOrDefault(id, 0), all.size());
    }
}
