package io.github.ordersaga.system.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Latency percentiles (nearest rank). */
final class Stats {

    private Stats() {
    }

    static Map<String, Object> percentiles(List<Double> samples) {
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("p50_ms", rank(sorted, 0.50));
        result.put("p95_ms", rank(sorted, 0.95));
        result.put("p99_ms", rank(sorted, 0.99));
        result.put("max_ms", sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1));
        return result;
    }

    static double rank(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
