package io.github.ordersaga.gateway.query;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import io.github.ordersaga.firestore.ProjectionWriter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Reads the projections the contexts write to Firestore; never writes. */
@Component
public class ReadModel {

    private final Firestore firestore;
    private final Duration timeout;

    /** {@code timeout}: how long one read may wait for Firestore, which hangs rather than refuses when it is stuck. */
    public ReadModel(Firestore firestore, @Value("${ordersaga.gateway.read-timeout:3s}") Duration timeout) {
        this.firestore = firestore;
        this.timeout = timeout;
    }

    public Optional<Map<String, Object>> document(String collection, String id) {
        DocumentSnapshot document = await(firestore.collection(collection).document(id).get());
        return document.exists() ? Optional.of(shown(document.getData())) : Optional.empty();
    }

    public List<Map<String, Object>> all(String collection) {
        return await(firestore.collection(collection).get()).getDocuments().stream()
                .map(QueryDocumentSnapshot::getData).map(ReadModel::shown).toList();
    }

    /**
     * One page of a user's orders, newest first: at most {@code limit}, starting after the order {@code after} (a
     * cursor from {@link OrdersPage#next()}; null for the first page). Read by a Firestore query, so a page costs its
     * own size whatever the user has ordered; on Google Cloud the query needs the composite index
     * (user ascending, created_at descending).
     *
     * @throws InvalidCursorException when {@code after} is not a cursor this method gave
     */
    public OrdersPage ordersOf(String user, int limit, String after) {
        Query query = firestore.collection("orders").whereEqualTo("user", user)
                .orderBy("created_at", Query.Direction.DESCENDING)
                .orderBy(FieldPath.documentId(), Query.Direction.DESCENDING)
                .limit(limit + 1); // one more than shown: tells whether there is a next page
        if (after != null) {
            Cursor cursor = Cursor.parse(after);
            query = query.startAfter(cursor.createdAt(), cursor.documentId());
        }
        List<QueryDocumentSnapshot> documents = await(query.get()).getDocuments();
        List<QueryDocumentSnapshot> shown = documents.subList(0, Math.min(limit, documents.size()));
        String next = null;
        if (documents.size() > limit) {
            QueryDocumentSnapshot last = shown.get(shown.size() - 1);
            next = new Cursor(last.getTimestamp("created_at"), last.getId()).toString();
        }
        return new OrdersPage(shown.stream().map(QueryDocumentSnapshot::getData).map(ReadModel::shown).toList(), next);
    }

    /** @param next the cursor of the following page; null when this is the last */
    public record OrdersPage(List<Map<String, Object>> orders, String next) {
    }

    /** Where a page ended: the last order's creation time and document id, opaque to clients (URL-safe Base64). */
    private record Cursor(Timestamp createdAt, String documentId) {

        @Override
        public String toString() {
            String plain = createdAt.getSeconds() + "." + createdAt.getNanos() + "/" + documentId;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor parse(String text) {
            try {
                String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                int slash = plain.indexOf('/');
                int dot = plain.indexOf('.');
                if (slash < 0 || dot < 0 || dot > slash || slash == plain.length() - 1) {
                    throw new InvalidCursorException();
                }
                return new Cursor(Timestamp.ofTimeSecondsAndNanos(Long.parseLong(plain.substring(0, dot)),
                        Integer.parseInt(plain.substring(dot + 1, slash))), plain.substring(slash + 1));
            } catch (IllegalArgumentException e) { // bad Base64, numbers or timestamp range
                throw new InvalidCursorException();
            }
        }
    }

    /** An {@code after} that no page of this endpoint gave. */
    public static class InvalidCursorException extends RuntimeException {
        public InvalidCursorException() {
            super("not a cursor from a previous page (use the next link as given)");
        }
    }

    private static Map<String, Object> shown(Map<String, Object> data) {
        Map<String, Object> shown = new LinkedHashMap<>(data);
        ProjectionWriter.BOOKKEEPING.forEach(shown::remove); // the projections' own, not shown to clients
        // Projections store times as Firestore timestamps; clients get ISO-8601 strings.
        shown.replaceAll((key, value) -> value instanceof Timestamp time ? time.toDate().toInstant().toString() : value);
        return shown;
    }

    private <T> T await(com.google.api.core.ApiFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadModelUnavailableException(e);
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            future.cancel(true);
            throw new ReadModelUnavailableException(e);
        }
    }

    /** Firestore did not answer in time, or failed: a 503, never a 500. */
    public static class ReadModelUnavailableException extends RuntimeException {
        public ReadModelUnavailableException(Throwable cause) {
            super("the read model (Firestore) is unavailable", cause);
        }
    }
}
