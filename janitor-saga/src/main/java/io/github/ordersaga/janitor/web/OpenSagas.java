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

    /** The open sagas, oldest first. */
    @Transactional(readOnly = true)
    public List<View> list() {
        Instant now = clock.instant();
        return entityManager.createQuery("select e from SagaEntry e where e.sagaType = :type", SagaEntry.class)
                .setParameter("type", sagaType)
                .getResultStream()
                .map(this::deserialize)
                .map(saga -> new View(saga.getOrderId(), saga.getStage(), saga.getStartedAt(),
                        saga.getStartedAt() == null ? Duration.ZERO : Duration.between(saga.getStartedAt(), now),
                        saga.getReason()))
                .sorted(Comparator.comparing(View::startedAt, Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
    }

    private OrderSaga deserialize(SagaEntry<?> entry) {
        return serializer.deserialize(new SimpleSerializedObject<>(entry.getSerializedSaga(), byte[].class,
                entry.getSagaType(), entry.getRevision()));
    }
}
