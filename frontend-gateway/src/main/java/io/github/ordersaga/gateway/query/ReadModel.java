package io.github.ordersaga.gateway.query;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import io.github.ordersaga.firestore.ProjectionWriter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Comparator;
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

    private static final int MAX_ORDERS_PER_USER = 100;

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

    /** A user's most recent orders, newest first. Sorted here: a Firestore order-by would need a composite index. */
    public List<Map<String, Object>> ordersOf(String user) {
        return await(firestore.collection("orders").whereEqualTo("user", user).get()).getDocuments().stream()
                .map(QueryDocumentSnapshot::getData).map(ReadModel::shown)
                .sorted(Comparator.comparing((Map<String, Object> o) -> String.valueOf(o.get("created_at"))).reversed())
                .limit(MAX_ORDERS_PER_USER)
                .toList();
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
