package io.github.ordersaga.gateway.live;

import io.github.ordersaga.gateway.order.OrderLatency;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart's points, from the gateway's own latency timers on the registry /actuator/prometheus serves. */
class OrderChartTest {

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final OrderChart chart;

    OrderChartTest() {
        new OrderLatency(meters); // registers its timers, as in the gateway
        chart = new OrderChart(meters, new LiveFeed(1, 1, Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(1)),
                Duration.ofSeconds(5));
    }

    @Test
    void aPointHoldsTheRatesByOutcomeAndThePercentilesOfWhatSettledInItsSpanOnly() {
        record("completed", 40, 1_000); // before the span: not in the point
        OrderChart.Sample start = chart.sample(0);
        record("completed", 50, 100);
        record("cancelled", 10, 200);
        record("completed", 49, 300);
        record("rejected", 1, 1_500);
        OrderChart.Sample end = chart.sample(Duration.ofSeconds(10).toNanos());

        Map<String, Object> point = OrderChart.point(start, end, Instant.parse("2026-12-07T05:00:00Z"));

        assertThat(point).containsEntry("time", "2026-12-07T05:00:00Z").containsEntry("seconds", 10.0)
                .containsEntry("completed", 99L).containsEntry("completed_per_second", 9.9)
                .containsEntry("cancelled", 10L).containsEntry("cancelled_per_second", 1.0)
                .containsEntry("rejected", 1L).containsEntry("rejected_per_second", 0.1);
        // 110 orders: the 55th is one of the 200 ms ones, the 109th one of the 300 ms ones; each is placed within the
        // histogram bucket that holds it, (178.9, 223.6] and (268.4, 357.9] ms, not at the value itself.
        assertThat((Double) point.get("p50_ms")).isBetween(178.9, 223.6);
        assertThat((Double) point.get("p99_ms")).isBetween(268.4, 357.9);
    }

    @Test
    void aSpanWithoutOrdersHasNoPercentiles() {
        record("completed", 5, 100);
        OrderChart.Sample start = chart.sample(0);
        Map<String, Object> point = OrderChart.point(start, chart.sample(Duration.ofSeconds(5).toNanos()), Instant.now());

        assertThat(point).containsEntry("completed", 0L).containsEntry("completed_per_second", 0.0)
                .containsEntry("p50_ms", null).containsEntry("p99_ms", null);
    }

    @Test
    void theQuantileIsInterpolatedWithinItsBucketAsPrometheusDoes() {
        Map<Double, Long> cumulative = new TreeMap<>(Map.of(100.0, 10L, 200.0, 20L, 400.0, 20L));

        assertThat(OrderChart.quantile(cumulative, 20, 0.25)).isEqualTo(50.0);   // the 5th of 10 in (0, 100]
        assertThat(OrderChart.quantile(cumulative, 20, 0.75)).isEqualTo(150.0);  // the 5th of 10 in (100, 200]
        assertThat(OrderChart.quantile(cumulative, 25, 0.99)).isEqualTo(400.0);  // beyond the last bucket: its bound
        assertThat(OrderChart.quantile(cumulative, 0, 0.5)).isNull();
    }

    private void record(String outcome, int orders, long millis) {
        Timer timer = meters.find(OrderLatency.METER).tag("outcome", outcome).timer();
        for (int i = 0; i < orders; i++) {
            timer.record(Duration.ofMillis(millis));
        }
    }
}
