package io.github.ordersaga.eventstore;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.hibernate.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** On H2, as the contexts run it: the engine the application gets, and what its tracking read returns with gaps. */
@SpringBootTest(classes = GapIndexedJpaEventStorageEngineTest.App.class, properties = {
        "spring.datasource.url=jdbc:h2:mem:event-store-test;DB_CLOSE_DELAY=-1",
        "spring.jpa.hibernate.ddl-auto=create-drop"})
class GapIndexedJpaEventStorageEngineTest {

    @SpringBootApplication
    static class App {
    }

    @Autowired EventStorageEngine engine;
    @Autowired TransactionManager transactions;
    @Autowired EntityManagerProvider entityManagers;
    @Autowired Serializer serializer;
    @Autowired @Qualifier("eventSerializer") Serializer eventSerializer;
    @Autowired PersistenceExceptionResolver exceptionResolver;
    @Autowired JdbcTemplate jdbc;

    /** One per transaction held open: the common pool may have a single thread. */
    private final ExecutorService threads = Executors.newFixedThreadPool(3);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @BeforeEach
    void emptyStore() {
        transactions.executeInTransaction(() -> {
            entityManagers.getEntityManager().createQuery("DELETE FROM DomainEventEntry").executeUpdate();
            entityManagers.getEntityManager().createQuery("DELETE FROM SnapshotEventEntry").executeUpdate();
        });
    }

    @Test
    void whileTheStoreHoldsNoSnapshotLoadsDoNotQueryForOne() {
        var fresh = GapIndexedJpaEventStorageEngine.of(builder(100));
        jdbc.execute("SET QUERY_STATISTICS TRUE");
        try {
            for (String order : List.of("order-1", "order-2", "order-3")) {
                assertThat(transactions.fetchInTransaction(() -> fresh.readSnapshot(order))).isEmpty();
            }
            assertThat(jdbc.queryForList("SELECT SQL_STATEMENT FROM INFORMATION_SCHEMA.QUERY_STATISTICS",
                    String.class)).filteredOn(sql -> sql.toLowerCase().contains("snapshot_event_entry"))
                    .as("queries of the snapshot table").hasSize(1); // the one look at the table
        } finally {
            jdbc.execute("SET QUERY_STATISTICS FALSE");
        }
    }

    @Test
    void aSnapshotIsFoundOnceTheEngineStoredOne() {
        var fresh = GapIndexedJpaEventStorageEngine.of(builder(100));
        assertThat(transactions.fetchInTransaction(() -> fresh.readSnapshot("order-1"))).isEmpty();
        transactions.executeInTransaction(() -> fresh.storeSnapshot(snapshot("order-1")));
        assertThat(transactions.fetchInTransaction(() -> fresh.readSnapshot("order-1")))
                .hasValueSatisfying(found -> assertThat(found.getPayload()).isEqualTo("state of order-1"));
    }

    @Test
    void aSnapshotInTheStoreBeforeTheEngineStartsIsFound() {
        transactions.executeInTransaction(() -> axonsEngine(100).storeSnapshot(snapshot("order-2")));
        var fresh = GapIndexedJpaEventStorageEngine.of(builder(100));
        assertThat(transactions.fetchInTransaction(() -> fresh.readSnapshot("order-2")))
                .hasValueSatisfying(found -> assertThat(found.getPayload()).isEqualTo("state of order-2"));
    }

    private static GenericDomainEventMessage<String> snapshot(String aggregate) {
        return new GenericDomainEventMessage<>("Order", aggregate, 3, "state of " + aggregate);
    }

    @Test
    void theApplicationsEngineIsTheOneReadingGapsByIndex() {
        assertThat(engine).isInstanceOf(GapIndexedJpaEventStorageEngine.class);
    }

    @Test
    void readsWhatAxonsQueryReadsWhenGapsAreFilledLaterOrNever() throws Exception {
        append("a");
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<Void> late = CompletableFuture.runAsync(() -> {
            Transaction transaction = transactions.startTransaction();
            engine.appendEvents(GenericEventMessage.asEventMessage("late"));
            appended.countDown();
            await(commit);
            transaction.commit();
        }, threads);
        assertThat(appended.await(10, TimeUnit.SECONDS)).isTrue();
        append("b");
        Transaction rolledBack = transactions.startTransaction();
        engine.appendEvents(GenericEventMessage.asEventMessage("never"));
        rolledBack.rollback();
        append("c");

        List<TrackedEventMessage<?>> first = read(engine, null);
        assertThat(payloads(first)).containsExactly("a", "b", "c");
        GapAwareTrackingToken token = (GapAwareTrackingToken) first.get(first.size() - 1).trackingToken();
        assertThat(token.getGaps()).hasSizeGreaterThanOrEqualTo(2); // "late" not yet committed, "never" rolled back

        commit.countDown();
        late.get(10, TimeUnit.SECONDS);
        append("d");

        List<TrackedEventMessage<?>> next = read(engine, token);
        assertThat(payloads(next)).containsExactly("late", "d");
        assertThat(tokens(next)).isEqualTo(tokens(read(axonsEngine(100), token)));
    }

    @Test
    void aBatchHoldsTheFilledGapsFirstThenWhatFollowsUpToItsSize() throws Exception {
        append("a");
        CountDownLatch appended = new CountDownLatch(3);
        CountDownLatch commit = new CountDownLatch(1);
        List<CompletableFuture<Void>> late = List.of("x", "y", "z").stream().map(payload -> CompletableFuture.runAsync(() -> {
            Transaction transaction = transactions.startTransaction();
            engine.appendEvents(GenericEventMessage.asEventMessage(payload));
            appended.countDown();
            await(commit);
            transaction.commit();
        }, threads)).toList();
        assertThat(appended.await(10, TimeUnit.SECONDS)).isTrue();
        append("b");
        TrackingToken token = read(engine, null).get(1).trackingToken();
        commit.countDown();
        for (CompletableFuture<Void> each : late) {
            each.get(10, TimeUnit.SECONDS);
        }
        append("c");

        for (int batchSize : new int[]{1, 2, 3, 4, 5}) {
            EventStorageEngine small = GapIndexedJpaEventStorageEngine.of(builder(batchSize));
            List<TrackedEventMessage<?>> ours = firstBatch(small, token, batchSize);
            List<TrackedEventMessage<?>> axons = firstBatch(axonsEngine(batchSize), token, batchSize);
            assertThat(tokens(ours)).as("batch size %d", batchSize).isEqualTo(tokens(axons));
        }
        assertThat(payloads(read(engine, token))).containsExactlyInAnyOrder("x", "y", "z", "c");
    }

    @Test
    void appendedEventsAreWrittenAndLeaveThePersistenceContext() {
        transactions.executeInTransaction(() -> {
            engine.appendEvents(GenericEventMessage.asEventMessage("x"), GenericEventMessage.asEventMessage("y"));
            Session session = entityManagers.getEntityManager().unwrap(Session.class);
            assertThat(session.getStatistics().getEntityCount()).as("entities the session still manages").isZero();
        });
        assertThat(payloads(read(engine, null))).containsExactly("x", "y");
    }

    private void append(String payload) {
        transactions.executeInTransaction(() -> engine.appendEvents(GenericEventMessage.asEventMessage(payload)));
    }

    private static List<TrackedEventMessage<?>> read(EventStorageEngine engine, TrackingToken token) {
        return engine.readEvents(token, false).<TrackedEventMessage<?>>map(e -> e).toList();
    }

    /** What one fetch returns: a stream reads on, so take the first batch of a store read with that batch size. */
    private static List<TrackedEventMessage<?>> firstBatch(EventStorageEngine engine, TrackingToken token, int batchSize) {
        return engine.readEvents(token, false).limit(batchSize).<TrackedEventMessage<?>>map(e -> e).toList();
    }

    private JpaEventStorageEngine axonsEngine(int batchSize) {
        return builder(batchSize).build();
    }

    private JpaEventStorageEngine.Builder builder(int batchSize) {
        return JpaEventStorageEngine.builder().snapshotSerializer(serializer).eventSerializer(eventSerializer)
                .persistenceExceptionResolver(exceptionResolver).entityManagerProvider(entityManagers)
                .transactionManager(transactions).batchSize(batchSize);
    }

    private static List<Object> payloads(List<TrackedEventMessage<?>> events) {
        return map(events, TrackedEventMessage::getPayload);
    }

    private static List<Object> tokens(List<TrackedEventMessage<?>> events) {
        return map(events, TrackedEventMessage::trackingToken);
    }

    private static List<Object> map(List<TrackedEventMessage<?>> events, Function<TrackedEventMessage<?>, Object> f) {
        return events.stream().map(f).toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
