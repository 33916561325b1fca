package io.github.ordersaga.firestore;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.SetOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Idempotent projection writes: every document keeps the position of the last event applied to it
 * ({@value #LAST_APPLIED}, the processor's tracking token position) and the ids of the events applied at that
 * position ({@value #APPLIED_EVENTS}). An event before that position, or one of those ids, is a repeat (a redelivery,
 * a retried batch, a replay) and changes nothing. Several events can share a position: an event that fills a gap
 * (its transaction committed after later ones were read) gets the token's position, the highest index read so far,
 * and so does every other event of that transaction; they are all applied, once each. Positions given to one
 * document never go down, since a token never does and each document has one writer (one processor segment), so
 * the read and the write of a transaction never contend.
 */
public class ProjectionWriter {

    public static final String LAST_APPLIED = "last_applied";
    public static final String APPLIED_EVENTS = "applied_events";

    private final Firestore firestore;

    public ProjectionWriter(Firestore firestore) {
        this.firestore = firestore;
    }

    public Firestore firestore() {
        return firestore;
    }

    /**
     * Merges {@code fields} into the document unless it already applied the event {@code eventId}, or one after
     * {@code position}.
     *
     * @return true when written, false when the event was old or repeated
     */
    public boolean apply(String collection, String documentId, long position, String eventId, Map<String, Object> fields) {
        DocumentReference document = firestore.collection(collection).document(documentId);
        try {
            return firestore.runTransaction(transaction -> {
                DocumentSnapshot current = transaction.get(document).get();
                Long lastApplied = current.exists() ? current.getLong(LAST_APPLIED) : null;
                List<String> appliedThere = new ArrayList<>();
                if (lastApplied != null) {
                    if (lastApplied > position) {
                        return false;
                    }
                    if (lastApplied == position) {
                        Object ids = current.get(APPLIED_EVENTS);
                        if (ids instanceof List<?> list) {
                            list.forEach(id -> appliedThere.add(String.valueOf(id)));
                        }
                        if (appliedThere.contains(eventId)) {
                            return false;
                        }
                    }
                }
                appliedThere.add(eventId);
                Map<String, Object> update = new HashMap<>(fields);
                update.put(LAST_APPLIED, position);
                update.put(APPLIED_EVENTS, appliedThere);
                transaction.set(document, update, SetOptions.merge());
                return true;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + collection + "/" + documentId, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("writing " + collection + "/" + documentId + " failed", e.getCause());
        }
    }

    /** Deletes every document of a collection, before a replay rebuilds it. */
    public void clear(String collection) {
        try {
            firestore.recursiveDelete(firestore.collection(collection)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("clearing " + collection + " failed", e.getCause());
        }
    }
}
