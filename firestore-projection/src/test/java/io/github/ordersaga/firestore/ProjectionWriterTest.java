package io.github.ordersaga.firestore;

import com.google.api.gax.grpc.GrpcStatusCode;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.ApiExceptionFactory;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import io.github.ordersaga.firestore.ProjectionWriter.Write;
import io.github.ordersaga.testsupport.Emulators;
import io.github.ordersaga.testsupport.WithEmulators;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Idempotent projection writes against the real Firestore emulator. */
@WithEmulators
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectionWriterTest {

    private Firestore firestore;
    private ProjectionWriter writer;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeAll
    void connect(Emulators emulators) {
        firestore = FirestoreOptions.newBuilder().setProjectId(emulators.projectId())
                .setEmulatorHost(emulators.firestoreHost()).build().getService();
        writer = new ProjectionWriter(firestore, meters);
    }

    @AfterAll
    void close() throws Exception {
        firestore.close();
    }

    @Test
    void aDocumentIgnoresAnEventItAlreadyAppliedOrAnOlderOne() throws Exception {
        String id = UUID.randomUUID().toString();

        assertThat(write("orders", id, 5, "e1", Map.of("status", "CREATED", "quantity", 50))).isTrue();
        assertThat(write("orders", id, 7, "e3", Map.of("status", "COMPLETED"))).isTrue();
        assertThat(write("orders", id, 7, "e3", Map.of("status", "REPEATED"))).isFalse();
        assertThat(write("orders", id, 6, "e2", Map.of("status", "STOCK_RESERVED"))).isFalse();

        DocumentSnapshot document = read("orders", id);
        assertThat(document.getString("status")).isEqualTo("COMPLETED");
        assertThat(document.getLong("quantity")).isEqualTo(50);
        assertThat(document.getLong(ProjectionWriter.LAST_APPLIED)).isEqualTo(7);
    }

    /**
     * Events of one transaction that committed after later ones were read fill a gap, and all get the token's
     * position, the highest index read: each is applied once, in order (the reliability suite's concurrency
     * scenario once left an item's document at the first of 11 such reservations).
     */
    @Test
    void eventsThatShareAPositionAreEachAppliedOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        assertThat(write("inventory", id, 10, "defined", Map.of("available", 50))).isTrue();

        for (int n = 1; n <= 17; n++) {
            assertThat(write("inventory", id, 40, "reserved-" + n, Map.of("available", 50 - n))).as("event %d", n).isTrue();
        }
        assertThat(write("inventory", id, 40, "reserved-3", Map.of("available", 47))).as("a repeat").isFalse();
        assertThat(write("inventory", id, 39, "older", Map.of("available", 99))).as("an older one").isFalse();

        assertThat(read("inventory", id).getLong("available")).isEqualTo(33);
        assertThat(write("inventory", id, 41, "released", Map.of("available", 34))).isTrue();
        DocumentSnapshot document = read("inventory", id);
        assertThat(document.getLong("available")).isEqualTo(34);
        assertThat(document.get(ProjectionWriter.APPLIED_EVENTS)).isEqualTo(List.of("released"));
    }

    /** A processor batch is one transaction; each write sees the document as the writes before it left it. */
    @Test
    void aBatchIsAppliedInOrderAndEachWriteSeesTheOnesBeforeIt() throws Exception {
        String order = UUID.randomUUID().toString();
        String item = UUID.randomUUID().toString();
        Predicate<Map<String, Object>> notCancelled = document -> !"CANCELLED".equals(document.get("status"));

        int applied = writer.writeAll(List.of(
                new Write("orders", order, at(3), "created", Map.of("status", "CREATED")),
                new Write("inventory", item, at(3), "defined", Map.of("available", 10, "reserved", 0L)),
                new Write("inventory", item, at(4), "reserved-1", Map.of("available", 5, "reserved", ProjectionWriter.increment(5))),
                new Write("orders", order, at(5), "cancelled", Map.of("status", "CANCELLED")),
                new Write("inventory", item, at(4), "reserved-1", Map.of("available", 0, "reserved", ProjectionWriter.increment(5))),
                new Write("orders", order, at(6), "paid", Map.of("status", "PAID"), notCancelled),
                new Write("inventory", item, at(6), "reserved-2", Map.of("available", 2, "reserved", ProjectionWriter.increment(3))),
                new Write("inventory", item, at(7), "released-1", Map.of("available", 7, "reserved", ProjectionWriter.increment(-5)))));

        assertThat(applied).as("all but the repeat and the refused one").isEqualTo(6);
        assertThat(read("orders", order).getString("status")).isEqualTo("CANCELLED");
        DocumentSnapshot stock = read("inventory", item);
        assertThat(stock.getLong("available")).isEqualTo(7);
        assertThat(stock.getLong("reserved")).isEqualTo(3);
        assertThat(stock.getLong(ProjectionWriter.LAST_APPLIED)).isEqualTo(7);
        assertThat(stock.get(ProjectionWriter.APPLIED_EVENTS)).isEqualTo(List.of("released-1"));

        assertThat(writer.writeAll(List.of(new Write("inventory", item, at(7), "released-1",
                Map.of("reserved", ProjectionWriter.increment(-5)))))).as("the batch retried").isZero();
        assertThat(read("inventory", item).getLong("reserved")).isEqualTo(3);
    }

    /** A replay with a large batch size: more documents than one Firestore commit takes. */
    @Test
    void aBatchOfMoreDocumentsThanOneTransactionTakesIsWrittenWhole() throws Exception {
        String collection = "many-" + UUID.randomUUID();
        List<Write> writes = new java.util.ArrayList<>();
        int documents = ProjectionWriter.MAX_DOCUMENTS + 50;
        for (int n = 0; n < documents; n++) {
            writes.add(new Write(collection, "d" + n, at(n), "e" + n, Map.of("n", n)));
        }
        writes.add(new Write(collection, "d0", at(documents), "last", Map.of("n", -1))); // back to the first, after the split

        assertThat(writer.writeAll(writes)).isEqualTo(documents + 1);
        assertThat(firestore.collection(collection).get().get().size()).isEqualTo(documents);
        assertThat(read(collection, "d0").getLong("n")).isEqualTo(-1);
    }

    /** In a processor's unit of work the writes wait for its commit, and go with its rollback. */
    @Test
    void insideAUnitOfWorkWritesWaitForItsCommit() throws Exception {
        String kept = UUID.randomUUID().toString();
        String dropped = UUID.randomUUID().toString();

        UnitOfWork<?> committing = DefaultUnitOfWork.startAndGet(null);
        writer.apply("orders", kept, at(1), "e1", Map.of("status", "CREATED"));
        writer.apply("orders", kept, at(2), "e2", Map.of("status", "COMPLETED"));
        assertThat(read("orders", kept).exists()).as("before the commit").isFalse();
        committing.commit();
        assertThat(read("orders", kept).getString("status")).isEqualTo("COMPLETED");

        UnitOfWork<?> rolledBack = DefaultUnitOfWork.startAndGet(null);
        writer.apply("orders", dropped, at(1), "e1", Map.of("status", "CREATED"));
        rolledBack.rollback();
        assertThat(read("orders", dropped).exists()).isFalse();
    }

    /** As a tracking processor runs a batch: each event in turn in one unit of work, then one commit. */
    @Test
    void aProcessorsBatchIsWrittenWhenItCommits() throws Exception {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(
                List.of(GenericEventMessage.asEventMessage(first), GenericEventMessage.asEventMessage(second)));
        List<Boolean> firstShownDuringTheBatch = new java.util.ArrayList<>();

        batch.executeWithResult(() -> {
            String id = (String) batch.getMessage().getPayload();
            writer.apply("orders", id, at(1), "created-" + id, Map.of("status", "CREATED"));
            firstShownDuringTheBatch.add(read("orders", first).exists());
            return null;
        });

        assertThat(firstShownDuringTheBatch).containsExactly(false, false);
        assertThat(read("orders", first).getString("status")).isEqualTo("CREATED");
        assertThat(read("orders", second).getString("status")).isEqualTo("CREATED");
        assertThat(meters.find("ordersaga.projection.lag").tag("collection", "orders").timer())
                .as("each event timed once its write is in Firestore").isNotNull()
                .satisfies(lag -> assertThat(lag.count()).isGreaterThanOrEqualTo(2));
    }

    /** A nested unit of work can roll back on its own: its writes are not held for the outer one's commit. */
    @Test
    void inANestedUnitOfWorkWritesGoAtOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        UnitOfWork<?> outer = DefaultUnitOfWork.startAndGet(null);
        UnitOfWork<?> nested = DefaultUnitOfWork.startAndGet(null);

        writer.apply("orders", id, at(1), "e1", Map.of("status", "CREATED"));

        assertThat(read("orders", id).exists()).isTrue();
        nested.commit();
        outer.commit();
    }

    /**
     * A write Firestore can never take (an id it does not accept, a value it cannot store) is recorded and skipped;
     * the rest of the batch is applied and the batch commits, so the projection goes on.
     */
    @Test
    void aWriteFirestoreRefusesIsRecordedAndSkippedAndTheRestOfTheBatchIsApplied() throws Exception {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        String reservedId = "__" + UUID.randomUUID() + "__";
        String badValue = "bad-value-" + UUID.randomUUID();
        String badId = "bad-id-" + UUID.randomUUID();
        String notAPath = "not-a-path-" + UUID.randomUUID();
        long skippedBefore = writer.skippedWrites();

        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        writer.apply("orders", first, at(1), "e1", Map.of("status", "CREATED"));
        writer.apply("orders", reservedId, at(2), badId, Map.of("status", "CREATED"));
        writer.apply("orders", second, at(3), "e3", Map.of("status", "CREATED"));
        writer.apply("orders", second, at(4), badValue, Map.of("note", new Object()));
        writer.apply("orders", "a/b", at(5), notAPath, Map.of("status", "CREATED"));
        writer.apply("orders", second, at(6), "e6", Map.of("status", "COMPLETED"));
        batch.commit();

        assertThat(read("orders", first).getString("status")).isEqualTo("CREATED");
        DocumentSnapshot document = read("orders", second);
        assertThat(document.getString("status")).isEqualTo("COMPLETED");
        assertThat(document.contains("note")).isFalse();
        assertThat(document.get(ProjectionWriter.APPLIED_EVENTS)).isEqualTo(List.of("e6"));
        assertThat(writer.skippedWrites() - skippedBefore).isEqualTo(3);
        Map<String, Object> deadLetter = deadLettersOf(badId).get(0);
        assertThat(deadLetter).containsEntry("collection", "orders").containsEntry("document_id", reservedId)
                .containsEntry("position", 2L).containsKey("reason");
        assertThat(deadLettersOf(badValue)).hasSize(1);
        assertThat(deadLettersOf(notAPath)).hasSize(1);

        assertThat(writer.writeAll(List.of(new Write("orders", second, at(4), badValue, Map.of("note", new Object())))))
                .as("the same write again").isZero();
        assertThat(deadLettersOf(badValue)).as("recorded once").hasSize(1);
    }

    /** Firestore down or slow is no reason to skip anything: the batch fails, and the processor retries it. */
    @Test
    void aTransientFailureFailsTheBatchAndSkipsNothing() throws Exception {
        FlakyFirestore flaky = new FlakyFirestore(firestore);
        ProjectionWriter flakyWriter = new ProjectionWriter(flaky.firestore, new SimpleMeterRegistry());
        for (Status.Code code : List.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.ABORTED,
                Status.Code.RESOURCE_EXHAUSTED, Status.Code.INTERNAL)) {
            String id = UUID.randomUUID().toString();
            flaky.failAfter(0, code);
            UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
            flakyWriter.apply("orders", id, at(1), "e1", Map.of("status", "CREATED"));
            flakyWriter.apply("orders", id, at(2), "e2", Map.of("status", "COMPLETED"));

            assertThatThrownBy(batch::commit).as(code.name()).hasRootCauseMessage("simulated " + code);
            assertThat(read("orders", id).exists()).isFalse();
            assertThat(deadLettersOf("e1")).isEmpty();
        }
        assertThat(flakyWriter.skippedWrites()).isZero();
    }

    @Test
    void onlyARequestRefusedForWhatItHoldsCountsAsNeverSucceeding() {
        assertThat(ProjectionWriter.refused(new IllegalArgumentException("not a Firestore value"))).isTrue();
        assertThat(ProjectionWriter.refused(apiException(Status.Code.INVALID_ARGUMENT))).isTrue();
        assertThat(ProjectionWriter.refused(new RuntimeException(apiException(Status.Code.INVALID_ARGUMENT)))).isTrue();
        for (Status.Code code : List.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.ABORTED,
                Status.Code.RESOURCE_EXHAUSTED, Status.Code.INTERNAL, Status.Code.UNKNOWN, Status.Code.PERMISSION_DENIED,
                Status.Code.UNAUTHENTICATED, Status.Code.FAILED_PRECONDITION, Status.Code.NOT_FOUND)) {
            assertThat(ProjectionWriter.refused(apiException(code))).as(code.name()).isFalse();
        }
        assertThat(ProjectionWriter.refused(new java.util.concurrent.TimeoutException())).isFalse();
    }

    /**
     * A replay rebuilds each document in place: its first write to a document starts it again from nothing (here a
     * count made wrong by hand is made right), its later writes add to that, and a write outside it merges as always.
     */
    @Test
    void aReplayStartsEachDocumentAgainFromItsFirstWrite() throws Exception {
        String item = UUID.randomUUID().toString();
        write("inventory", item, 1, "defined", Map.of("available", 10, "reserved", 0L, "price_per_unit", 3));
        write("inventory", item, 2, "reserved-1", Map.of("available", 5, "reserved", ProjectionWriter.increment(5)));
        firestore.collection("inventory").document(item).update("reserved", 99, "stray", true).get();

        assertThat(writer.writeAll(List.of(
                new Write("inventory", item, 1, "r1", "defined", Map.of("available", 10, "reserved", 0L), document -> true),
                new Write("inventory", item, 2, "r1", "reserved-1",
                        Map.of("available", 5, "reserved", ProjectionWriter.increment(5)), document -> true)))).isEqualTo(2);
        assertThat(write("inventory", item, 3, "reserved-2", Map.of("available", 3, "reserved", ProjectionWriter.increment(2))))
                .isTrue();

        DocumentSnapshot document = read("inventory", item);
        assertThat(document.getLong("reserved")).isEqualTo(7);
        assertThat(document.getLong("available")).isEqualTo(3);
        assertThat(document.contains("stray")).as("a field no event wrote").isFalse();
        assertThat(document.contains("price_per_unit")).as("not written by this replay's events").isFalse();
        assertThat(document.getString(ProjectionWriter.REPLAY)).isEqualTo("r1");
    }

    /** Once a replay is through, the documents it did not write and nothing wrote since it started are deleted. */
    @Test
    void theSweepAfterAReplayDeletesOnlyWhatWasLeftFromBeforeIt() throws Exception {
        String collection = "replay-" + UUID.randomUUID();
        String replay = UUID.randomUUID().toString();
        write(collection, "stale", 1, "e1", Map.of("x", 1));
        write(collection, "rebuilt", 2, "e2", Map.of("x", 2));
        writer.replaying(collection, replay);
        writer.writeAll(List.of(new Write(collection, "rebuilt", 2, replay, "e2", Map.of("x", 2), document -> true)));
        write(collection, "new", 3, "e3", Map.of("x", 3)); // after the replay, no replay id

        assertThat(writer.sweep(replay)).isEqualTo(1);

        assertThat(read(collection, "stale").exists()).isFalse();
        assertThat(read(collection, "rebuilt").exists()).isTrue();
        assertThat(read(collection, "new").exists()).isTrue();
        assertThat(firestore.collection(ProjectionWriter.REPLAYS).document(replay).get().get().exists()).isFalse();
        assertThat(writer.sweep(replay)).as("already swept").isZero();
    }

    private boolean write(String collection, String id, long position, String eventId, Map<String, Object> fields) {
        return writer.writeAll(List.of(new Write(collection, id, at(position), eventId, fields))) == 1;
    }

    private static TrackingToken at(long position) {
        return new GlobalSequenceTrackingToken(position);
    }

    private static ApiException apiException(Status.Code code) {
        return ApiExceptionFactory.createException("status " + code, null, GrpcStatusCode.of(code), false);
    }

    private List<Map<String, Object>> deadLettersOf(String eventId) throws Exception {
        return firestore.collection(ProjectionWriter.DEAD_LETTERS).whereEqualTo("event_id", eventId).get().get()
                .getDocuments().stream().map(DocumentSnapshot::getData).toList();
    }

    private DocumentSnapshot read(String collection, String id) throws Exception {
        return firestore.collection(collection).document(id).get().get();
    }
}
