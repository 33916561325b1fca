package io.github.ordersaga.firestore;

import com.google.api.core.ApiFuture;
import com.google.api.gax.rpc.ApiException;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreException;
import com.google.cloud.firestore.Precondition;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.SetOptions;
import com.google.cloud.firestore.Transaction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Idempotent, batched projection writes.
 * <p>
 * <b>Idempotent:</b> every document keeps the position of the last event applied to it ({@value #LAST_APPLIED}, the
 * processor's tracking token position) and the ids of the events applied at that position ({@value #APPLIED_EVENTS}).
 * An event before that position, or one of those ids, is a repeat (a redelivery, a retried batch) and changes
 * nothing. Several events can share a position: an event that fills a gap (its transaction committed after
 * later ones were read) gets the token's position, the highest index read so far, and so does every other event of
 * that transaction; they are all applied, once each. Positions given to one document never go down, since a token
 * never does and each document has one writer (one processor segment), so transactions never contend.
 * <p>
 * <b>Batched:</b> called by an event handler in a processor's batch (the root unit of work, still running), a write
 * waits for the end of the batch; then all of the batch's writes go to Firestore in one transaction (one read of the
 * documents, one commit), before the batch's database transaction, which holds the processor's new token, commits.
 * A failed Firestore commit rolls the batch back, and the processor retries it. Anywhere else (no unit of work, a
 * nested one, a batch already committing) a write goes to Firestore at once. One Firestore transaction per event
 * made the projections fall behind under load (docs/performance.md, lab notes).
 * <p>
 * <b>Never stopped by one write:</b> a write Firestore refuses for what it is (an id or a value it does not take) would
 * fail its batch on every retry and stall the projection for good. When Firestore refuses a transaction, its writes go
 * again one at a time, and each one it refuses on its own is skipped: logged at ERROR, counted and recorded in
 * {@value #DEAD_LETTERS}. Any other failure (Firestore down or slow, contention, quota) fails the batch as before, to
 * be retried: nothing is skipped for an outage.
 * <p>
 * <b>Replays</b> rebuild the documents in place, so that readers keep the old view until each document is rebuilt,
 * and a replay that fails halfway resumes where it stopped (it is the processor's token, reset first). A write of a
 * replay (an event whose {@link ReplayToken} has a replay id as its context) to a document that replay has not
 * written yet ({@value #REPLAY}) starts the document again from nothing, as clearing the collection would have. The
 * documents no replay write reaches are removed once it is through ({@link #sweep}).
 * <p>
 * <b>Lag:</b> {@code ordersaga.projection.lag}, a timer per collection, from an event's timestamp until its write is in
 * Firestore (a replay's writes are not timed).
 */
public class ProjectionWriter {

    public static final String LAST_APPLIED = "last_applied";
    public static final String APPLIED_EVENTS = "applied_events";
    /** The replay that rebuilt the document. */
    public static final String REPLAY = "replay";
    /** The fields above: the writer's own, not for readers of the documents. */
    public static final Set<String> BOOKKEEPING = Set.of(LAST_APPLIED, APPLIED_EVENTS, REPLAY);
    /**
     * Skipped writes, one document each. In Firestore, beside the views and read the same way (console, gcloud), and
     * no table to add to every context's database; keyed by the write, so a retried batch or a replay records it once.
     */
    public static final String DEAD_LETTERS = "projection_dead_letters";
    /** One document per replay not yet swept: the collections it rebuilds and when it started. */
    public static final String REPLAYS = "projection_replays";

    private static final Logger log = LoggerFactory.getLogger(ProjectionWriter.class);
    private static final String PENDING = ProjectionWriter.class.getName() + ".pending";
    /** Documents per Firestore transaction: below its limit of 500 writes per commit, whatever the batch size. */
    static final int MAX_DOCUMENTS = 400;
    /** gRPC codes of a request refused for its content: the same request can never succeed. */
    private static final Set<String> REFUSALS = Set.of("INVALID_ARGUMENT", "OUT_OF_RANGE");
    /** Longest text kept in a dead letter, so that the record itself is never too large. */
    private static final int MAX_TEXT = 1000;
    private static final int SWEEP_PAGE = 300;

    private final Firestore firestore;
    private final AtomicLong skippedWrites = new AtomicLong();
    private final MeterRegistry meters;
    private final Map<String, Timer> lag = new ConcurrentHashMap<>();

    public ProjectionWriter(Firestore firestore, MeterRegistry meters) {
        this.firestore = firestore;
        this.meters = meters;
    }

    /**
     * One event's change to one document.
     *
     * @param replay the replay this write belongs to, or null
     * @param fields merged into the document; an {@link Increment} adds to the field's number
     * @param onlyIf applied only if this holds for the document as the writes before it left it (its fields, or
     *               an empty map when there is none yet); a refused write changes nothing
     */
    public record Write(String collection, String documentId, long position, String replay, String eventId,
                        Map<String, Object> fields, Predicate<Map<String, Object>> onlyIf) {
        public Write {
            Objects.requireNonNull(collection);
            Objects.requireNonNull(documentId);
            Objects.requireNonNull(eventId);
            fields = Collections.unmodifiableMap(new HashMap<>(fields)); // may hold nulls (a field set to null)
        }

        /** An event handler's write: its position from the event's token, its replay from the event being handled. */
        public Write(String collection, String documentId, TrackingToken token, String eventId,
                     Map<String, Object> fields, Predicate<Map<String, Object>> onlyIf) {
            this(collection, documentId,
                    token.position().orElseThrow(() -> new IllegalStateException("no position in token " + token)),
                    replayBeingHandled(), eventId, fields, onlyIf);
        }

        public Write(String collection, String documentId, TrackingToken token, String eventId, Map<String, Object> fields) {
            this(collection, documentId, token, eventId, fields, document -> true);
        }
    }

    /**
     * The replay id of the event the current unit of work handles, if it is replayed. Read from the event's own token:
     * the one a handler is given is unwrapped, without the replay.
     */
    private static String replayBeingHandled() {
        return CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get().getMessage() instanceof EventMessage<?> event
                ? ReplayToken.replayContext(event, String.class).orElse(null)
                : null;
    }

    /** A field value that adds {@code by} to the field's number (0 when absent). */
    public record Increment(long by) {
    }

    public static Increment increment(long by) {
        return new Increment(by);
    }

    /** Writes at the end of the processor's batch, or at once outside one (see the class comment). */
    public void apply(Write write) {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.get() : null;
        Instant eventTime = write.replay() == null && unitOfWork != null
                && unitOfWork.getMessage() instanceof EventMessage<?> event ? event.getTimestamp() : null;
        // A nested unit of work may roll back alone, and one past STARTED has run its prepare-commit handlers.
        if (unitOfWork != null && unitOfWork.isRoot() && unitOfWork.phase() == UnitOfWork.Phase.STARTED) {
            pendingOf(unitOfWork).add(new Pending(write, eventTime));
        } else {
            writeAll(List.of(write));
            recordLag(write.collection(), eventTime);
        }
    }

    /** A write held for the end of its batch, with the timestamp of the event that made it (null: not timed). */
    private record Pending(Write write, Instant eventTime) {
    }

    private void recordLag(String collection, Instant eventTime) {
        if (eventTime == null) {
            return;
        }
        Duration behind = Duration.between(eventTime, Instant.now());
        lag.computeIfAbsent(collection, c -> Timer.builder("ordersaga.projection.lag")
                        .description("From an event's timestamp until its projection write is in Firestore")
                        .tag("collection", c).publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                        .register(meters))
                .record(behind.isNegative() ? Duration.ZERO : behind);
    }

    public void apply(String collection, String documentId, TrackingToken token, String eventId, Map<String, Object> fields) {
        apply(new Write(collection, documentId, token, eventId, fields));
    }

    /**
     * Writes in one Firestore transaction (one per {@value #MAX_DOCUMENTS} documents), in the given order.
     *
     * @return how many of the writes were applied (the others were repeats, older, refused by their condition, or
     *         skipped: Firestore refuses them)
     */
    public int writeAll(List<Write> writes) {
        Map<DocumentReference, List<Write>> byDocument = new LinkedHashMap<>();
        int applied = 0;
        for (Write write : writes) {
            DocumentReference document;
            try {
                document = firestore.collection(write.collection()).document(write.documentId());
            } catch (IllegalArgumentException notAPath) { // an id with a slash, an empty one
                skip(write, notAPath);
                continue;
            }
            if (!byDocument.containsKey(document) && byDocument.size() == MAX_DOCUMENTS) {
                applied += transact(byDocument);
                byDocument = new LinkedHashMap<>();
            }
            byDocument.computeIfAbsent(document, key -> new ArrayList<>()).add(write);
        }
        return byDocument.isEmpty() ? applied : applied + transact(byDocument);
    }

    /** How many writes were skipped because Firestore refuses them, since this writer was made. */
    public long skippedWrites() {
        return skippedWrites.get();
    }

    private int transact(Map<DocumentReference, List<Write>> byDocument) {
        try {
            return firestore.runTransaction(transaction -> {
                List<DocumentReference> documents = new ArrayList<>(byDocument.keySet());
                List<DocumentSnapshot> snapshots = transaction.getAll(documents.toArray(DocumentReference[]::new)).get();
                int applied = 0;
                for (DocumentSnapshot snapshot : snapshots) {
                    DocumentState state = new DocumentState(snapshot);
                    for (Write write : byDocument.get(snapshot.getReference())) {
                        if (state.apply(write)) {
                            applied++;
                        }
                    }
                    state.writeTo(transaction, snapshot.getReference());
                }
                return applied;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + describe(byDocument.keySet()), e);
        } catch (ExecutionException e) {
            if (!refused(e.getCause())) {
                throw new IllegalStateException("writing " + describe(byDocument.keySet()) + " failed", e.getCause());
            }
            return oneByOne(byDocument, e.getCause());
        }
    }

    /** Each write of a transaction Firestore refused in its own, so that only the ones it refuses alone are skipped. */
    private int oneByOne(Map<DocumentReference, List<Write>> byDocument, Throwable refusal) {
        if (byDocument.size() == 1 && byDocument.values().iterator().next().size() == 1) {
            skip(byDocument.values().iterator().next().get(0), refusal);
            return 0;
        }
        log.warn("Firestore refused a transaction of {}; writing its writes one at a time: {}",
                describe(byDocument.keySet()), refusal.toString());
        int applied = 0;
        for (Map.Entry<DocumentReference, List<Write>> document : byDocument.entrySet()) {
            for (Write write : document.getValue()) {
                applied += transact(Map.of(document.getKey(), List.of(write)));
            }
        }
        return applied;
    }

    private void skip(Write write, Throwable reason) {
        Map<String, Object> record = new HashMap<>();
        record.put("collection", clip(write.collection()));
        record.put("document_id", clip(write.documentId()));
        record.put("event_id", clip(write.eventId()));
        record.put("position", write.position());
        record.put("reason", clip(reason.toString()));
        record.put("recorded_at", FieldValue.serverTimestamp());
        // Recorded before the batch goes on: if this fails, the batch fails and is retried, and nothing is skipped.
        await(firestore.collection(DEAD_LETTERS).document(deadLetterId(write)).set(record), "recording a skipped write");
        skippedWrites.incrementAndGet();
        log.error("Projection write skipped, Firestore refuses it: collection {}, document {}, event {}, position {}: {}",
                write.collection(), clip(write.documentId()), write.eventId(), write.position(), reason.toString());
    }

    /**
     * Whether Firestore refused a request for what it holds, so that it can never succeed. Anything else (unavailable,
     * deadline exceeded, aborted, resource exhausted, internal, no credentials...) may pass later, and is retried.
     */
    static boolean refused(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // IllegalArgumentException: the client's own checks, of a value or a path Firestore does not take.
            String code = statusCode(cause);
            if (cause instanceof IllegalArgumentException || code != null && REFUSALS.contains(code)) {
                return true;
            }
        }
        return false;
    }

    private static String statusCode(Throwable failure) {
        if (failure instanceof ApiException api) {
            return api.getStatusCode().getCode().name();
        }
        if (failure instanceof FirestoreException firestore && firestore.getStatus() != null) {
            return firestore.getStatus().getCode().name();
        }
        return null;
    }

    /**
     * From a projection's reset handler: the replay {@code replay} rebuilds {@code collection}. Recorded before the
     * processor's tokens are reset, in the same database transaction, so that a replay is either started and known
     * here, or not started at all, the view untouched.
     */
    public void replaying(String collection, String replay) {
        await(firestore.collection(REPLAYS).document(replay).set(Map.of("collections", FieldValue.arrayUnion(collection),
                "started_at", FieldValue.serverTimestamp()), SetOptions.merge()), "recording replay " + replay);
    }

    /**
     * Once a replay is through: deletes the documents of its collections that it did not write, left from before it
     * (written before it started, by Firestore's own clock), as clearing them up front would have; then forgets it.
     *
     * @return how many documents were deleted (0 also for a replay already swept)
     */
    public int sweep(String replay) {
        DocumentSnapshot marker = await(firestore.collection(REPLAYS).document(replay).get(), "reading replay " + replay);
        if (!marker.exists()) {
            return 0;
        }
        Timestamp started = Objects.requireNonNull(marker.getTimestamp("started_at"));
        int deleted = 0;
        for (Object collection : (List<?>) Objects.requireNonNull(marker.get("collections"))) {
            deleted += sweep(collection.toString(), started);
        }
        await(marker.getReference().delete(), "forgetting replay " + replay);
        return deleted;
    }

    private int sweep(String collection, Timestamp started) {
        Query all = firestore.collection(collection).orderBy(FieldPath.documentId()).limit(SWEEP_PAGE);
        Query page = all;
        int deleted = 0;
        while (true) {
            List<QueryDocumentSnapshot> documents = await(page.get(), "reading " + collection).getDocuments();
            for (QueryDocumentSnapshot document : documents) {
                if (document.getUpdateTime().compareTo(started) < 0) {
                    deleted += deleteUnlessWritten(document);
                }
            }
            if (documents.size() < SWEEP_PAGE) {
                return deleted;
            }
            page = all.startAfter(documents.get(documents.size() - 1));
        }
    }

    /** Deletes a document unless it was written since it was read: then it is no longer left from before a replay. */
    private int deleteUnlessWritten(DocumentSnapshot document) {
        try {
            document.getReference().delete(Precondition.updatedAt(document.getUpdateTime())).get();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            if ("FAILED_PRECONDITION".equals(statusCode(e.getCause()))) {
                return 0;
            }
            throw new IllegalStateException("deleting " + document.getReference().getPath() + " failed", e.getCause());
        }
    }

    private List<Pending> pendingOf(UnitOfWork<?> batch) {
        return batch.getOrComputeResource(PENDING, key -> {
            List<Pending> pending = new ArrayList<>();
            batch.onPrepareCommit(u -> {
                writeAll(pending.stream().map(Pending::write).toList());
                pending.forEach(p -> recordLag(p.write().collection(), p.eventTime()));
            });
            return pending;
        });
    }

    private static <T> T await(ApiFuture<T> future, String what) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed", e.getCause());
        }
    }

    private static String deadLetterId(Write write) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            String key = write.collection() + '\0' + write.documentId() + '\0' + write.eventId();
            return HexFormat.of().formatHex(sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java runtime has SHA-256
        }
    }

    private static String clip(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "...";
    }

    private static String describe(Set<DocumentReference> documents) {
        return documents.size() == 1 ? documents.iterator().next().getPath() : documents.size() + " documents";
    }

    /** One document as a batch's writes leave it; made afresh for each attempt of the transaction. */
    private static final class DocumentState {
        private final Map<String, Object> fields;
        private final Map<String, Object> update = new HashMap<>();
        /** Started again from nothing by a replay: written whole, replacing the document. */
        private boolean rebuilt;
        private Long lastApplied;
        private List<String> appliedThere = new ArrayList<>();

        DocumentState(DocumentSnapshot snapshot) {
            Map<String, Object> data = snapshot.exists() ? snapshot.getData() : null;
            fields = data == null ? new HashMap<>() : new HashMap<>(data);
            lastApplied = snapshot.exists() ? snapshot.getLong(LAST_APPLIED) : null;
            if (fields.get(APPLIED_EVENTS) instanceof List<?> ids) {
                ids.forEach(id -> appliedThere.add(String.valueOf(id)));
            }
        }

        boolean apply(Write write) {
            if (write.replay() != null && !write.replay().equals(fields.get(REPLAY))) {
                fields.clear();
                update.clear();
                lastApplied = null;
                appliedThere = new ArrayList<>();
                rebuilt = true;
                fields.put(REPLAY, write.replay());
            }
            if (lastApplied != null && (lastApplied > write.position()
                    || lastApplied == write.position() && appliedThere.contains(write.eventId()))) {
                return false;
            }
            if (!write.onlyIf().test(Collections.unmodifiableMap(fields))) {
                return false;
            }
            if (lastApplied == null || lastApplied < write.position()) {
                lastApplied = write.position();
                appliedThere = new ArrayList<>();
            }
            appliedThere.add(write.eventId());
            write.fields().forEach((name, value) -> {
                Object resolved = value instanceof Increment increment
                        ? (fields.get(name) instanceof Number number ? number.longValue() : 0L) + increment.by()
                        : value;
                set(name, resolved);
            });
            set(LAST_APPLIED, lastApplied);
            set(APPLIED_EVENTS, List.copyOf(appliedThere));
            return true;
        }

        private void set(String name, Object value) {
            fields.put(name, value);
            update.put(name, value);
        }

        void writeTo(Transaction transaction, DocumentReference document) {
            if (update.isEmpty()) {
                return;
            }
            try {
                if (rebuilt) {
                    transaction.set(document, fields);
                } else {
                    transaction.set(document, update, SetOptions.merge());
                }
            } catch (RuntimeException unconvertible) {
                // set only converts the values, the commit sends them: a value with no Firestore type, never storable
                throw new IllegalArgumentException("Firestore cannot store the fields of " + document.getPath(), unconvertible);
            }
        }
    }
}
