package io.github.ordersaga.firestore;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.SetOptions;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Idempotent projection writes: every document keeps the position of the last event applied to it
 * ({@value #LAST_APPLIED}) and ignores an event at or before that position, so a redelivered or replayed
 * event changes nothing. Each document must have one writer (one processor segment), so the read and the
 * write of a transaction never contend.
 */
public class ProjectionWriter {

    public static final String LAST_APPLIED = "last_applied";

    private final Firestore firestore;

    public ProjectionWriter(Firestore firestore) {
        this.firestore = firestore;
    }

    public Firestore firestore() {
        return firestore;
    }

    /**
     * Merges {@code fields} into the document unless it already applied {@code position}.
     *
     * @return true when written, false when the event was old or repeated
     */
    public boolean apply(String collection, String documentId, long position, Map<String, Object> fields) {
        DocumentReference document = firestore.collection(collection).document(documentId);
        try {
            return firestore.runTransaction(transaction -> {
                DocumentSnapshot current = transaction.get(document).get();
                Long lastApplied = current.exists() ? current.getLong(LAST_APPLIED) : null;
                if (lastApplied != null && lastApplied >= position) {
                    return false;
                }
                Map<String, Object> update = new HashMap<>(fields);
                update.put(LAST_APPLIED, position);
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
