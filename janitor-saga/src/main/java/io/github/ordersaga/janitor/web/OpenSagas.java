package io.github.ordersaga.janitor.web;

import io.github.ordersaga.janitor.saga.OrderSaga;
import jakarta.persistence.EntityManager;
import org.axonframework.modelling.saga.repository.jpa.SagaEntry;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The open sagas, read straight from Axon's JPA saga store: Axon deletes a saga's entry when it ends, so every entry
 * is an open saga, and its state is the saga itself, deserialised with the serializer that stored it. No second
 * table to keep in step with the saga.
 */
@Component
public class OpenSagas {

    /** One open saga, as the endpoint shows it. */
    public record View(String orderId, OrderSaga.Stage stage, Instant startedAt, Duration age, String reason) {
    }

    private final EntityManager entityManager;
    private final Serializer serializer;
    private final Clock clock = Clock.systemUTC();
    private final String sagaType;

    public OpenSagas(EntityManager entityManager, @Qualifier("serializer") Serializer serializer) {
        this.entityManager = entityManager;
        this.serializer = serializer;
        // The store names a saga's type as the serializer names its class (JpaSagaStore does the same).
        this.sagaType = serializer.typeForClass(OrderSaga.class).getName();
    }

    /** How many sagas are open: a count in the database, nothing deserialised. */
    @Transactional(readOnly = true)
    public long count() {
        return entityManager.createQuery("select count(e) from SagaEntry e where e.sagaType = :type", Long.class)
                .setParameter("type", sagaType).getSingleResult();
    }

    /**
     * One page of open sagas: at most {@code limit}, in saga id order after {@code afterSagaId} (null: from the
     * start), so a page reads and deserialises only its own entries. Oldest first within the page.
     */
    @Transactional(readOnly = true)
    public Page page(String afterSagaId, int limit) {
        Instant now = clock.instant();
        List<SagaEntry> entries = entityManager.createQuery("select e from SagaEntry e where e.sagaType = :type"
                        + " and e.sagaId > :after order by e.sagaId", SagaEntry.class)
                .setParameter("type", sagaType)
                .setParameter("after", afterSagaId == null ? "" : afterSagaId)
                .setMaxResults(limit + 1) // one more than shown: tells whether there is a next page
                .getResultList();
        List<SagaEntry> shown = entries.subList(0, Math.min(limit, entries.size()));
        List<View> views = shown.stream()
                .map(entry -> {
                    OrderSaga saga = deserialize(entry);
                    return new View(saga.getOrderId(), saga.getStage(), saga.getStartedAt(),
                            saga.getStartedAt() == null ? Duration.ZERO : Duration.between(saga.getStartedAt(), now),
                            saga.getReason());
                })
                .sorted(Comparator.comparing(View::startedAt, Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
        return new Page(views, entries.size() > limit ? shown.get(shown.size() - 1).getSagaId() : null);
    }

    /** @param next the saga id to give as {@code after} for the following page; null when this is the last */
    public record Page(List<View> sagas, String next) {
    }

    private OrderSaga deserialize(SagaEntry<?> entry) {
        return serializer.deserialize(new SimpleSerializedObject<>(entry.getSerializedSaga(), byte[].class,
                entry.getSagaType(), entry.getRevision()));
    }
}
