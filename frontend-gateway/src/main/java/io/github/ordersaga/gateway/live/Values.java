package io.github.ordersaga.gateway.live;

import com.google.cloud.Timestamp;
import io.github.ordersaga.firestore.ProjectionWriter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Firestore values as plain JSON values for the page: timestamps as ISO-8601 text, bookkeeping fields left out. */
final class Values {

    private Values() {
    }

    static Map<String, Object> shown(Map<String, Object> document) {
        Map<String, Object> shown = new LinkedHashMap<>();
        document.forEach((key, value) -> {
            if (!ProjectionWriter.BOOKKEEPING.contains(key)) { // the projections' own, as in the REST reads
                shown.put(key, plain(value));
            }
        });
        return shown;
    }

    @SuppressWarnings("unchecked")
    private static Object plain(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toDate().toInstant().toString();
        }
        if (value instanceof Map<?, ?> map) {
            return shown((Map<String, Object>) map);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Values::plain).toList();
        }
        return value.toString();
    }
}
