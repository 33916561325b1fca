package io.github.ordersaga.gateway.live;

import io.github.ordersaga.gateway.order.OrderLatency;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The page's live chart: orders per second by outcome and POST → terminal p50 / p99, one point every
 * {@code ordersaga.gateway.live.chart-interval}, read from the gateway's latency timers ({@link OrderLatency}, the
 * meter {@code /actuator/prometheus} serves and the dashboard queries). A point's rates are the timers' count
 * increase over the interval; its percentiles come from the histogram buckets' increase, interpolated within a
 * bucket as Prometheus' {@code histogram_quantile} does, so the page and the dashboard agree.
 * <p>
 * It samples whether or not a browser watches (a read of three timers every few seconds, no I/O), so a page that
 * opens shows the last minutes at once ({@link LiveFeed} keeps them).
 */
@Component
public class OrderChart {

    static final List<String> OUTCOMES = List.of("completed", "cancelled", "rejected");
    private static final Logger log = LoggerFactory.getLogger(OrderChart.class);

    private final MeterRegistry meters;
    private final LiveFeed feed;
    private final Duration interval;
    /** The last sample, to take the next one's increase from; touched only on the feed's scheduler thread. */
    private Sample last;

    public OrderChart(MeterRegistry meters, LiveFeed feed,
                      @Value("${ordersaga.gateway.live.chart-interval:5s}") Duration interval) {
        this.meters = meters;
        this.feed = feed;
        this.interval = interval;
    }

    /** Counts per outcome and the summed cumulative bucket counts (upper bound in ms → orders at or below it). */
    record Sample(long nanos, Map<String, Long> counts, TreeMap<Double, Long> buckets) {
    }

    Sample sample(long nanos) {
        Map<String, Long> counts = new LinkedHashMap<>();
        TreeMap<Double, Long> buckets = new TreeMap<>();
        OUTCOMES.forEach(outcome -> counts.put(outcome, 0L));
        for (Timer timer : meters.find(OrderLatency.METER).timers()) {
            String outcome = timer.getId().getTag("outcome");
            counts.merge(outcome, timer.count(), Long::sum);
            for (CountAtBucket bucket : timer.takeSnapshot().histogramCounts()) {
                double bound = bucket.bucket(TimeUnit.MILLISECONDS);
                if (Double.isFinite(bound)) {
                    buckets.merge(bound, (long) bucket.count(), Long::sum);
                }
            }
        }
        return new Sample(nanos, counts, buckets);
    }

    /** The chart's point for the span between two samples. */
    static Map<String, Object> point(Sample before, Sample after, Instant at) {
        double seconds = (after.nanos() - before.nanos()) / 1e9;
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("time", at.toString());
        point.put("seconds", Math.round(seconds * 10) / 10.0);
        long total = 0;
        for (String outcome : OUTCOMES) {
            long settled = Math.max(0, after.counts().getOrDefault(outcome, 0L) - before.counts().getOrDefault(outcome, 0L));
            total += settled;
            point.put(outcome, settled);
            point.put(outcome + "_per_second", Math.round(100 * settled / seconds) / 100.0);
        }
        Map<Double, Long> increase = new TreeMap<>();
        after.buckets().forEach((bound, count) -> increase.put(bound, count - before.buckets().getOrDefault(bound, 0L)));
        point.put("p50_ms", quantile(increase, total, 0.5));
        point.put("p99_ms", quantile(increase, total, 0.99));
        return point;
    }

    /**
     * The {@code q} quantile of {@code total} observations from cumulative bucket counts (upper bound in ms, ascending):
     * linear within the bucket that holds it, as Prometheus' {@code histogram_quantile}. Beyond the last bucket it
     * answers that bucket's bound (the histogram knows no more); {@code null} without observations.
     */
    static Double quantile(Map<Double, Long> cumulative, long total, double q) {
        if (total <= 0) {
            return null;
        }
        double rank = q * total;
        double lowerBound = 0;
        long below = 0;
        Double last = null;
        for (var bucket : cumulative.entrySet()) {
            double bound = bucket.getKey();
            long count = bucket.getValue();
            if (count >= rank && count > below) {
                double value = lowerBound + (bound - lowerBound) * (rank - below) / (count - below);
                return Math.round(value * 10) / 10.0;
            }
            lowerBound = bound;
            below = count;
            last = bound;
        }
        return last;
    }

    private void tick() {
        try {
            Sample now = sample(System.nanoTime());
            if (last != null) {
                feed.chartPoint(point(last, now, Instant.now()));
            }
            last = now;
        } catch (RuntimeException e) { // never let the schedule die
            log.warn("live chart: could not read the latency timers", e);
        }
    }

    /** On the feed's scheduler (no thread of its own), from start-up until the feed stops. */
    @PostConstruct
    void start() {
        feed.every(interval, this::tick);
    }
}
