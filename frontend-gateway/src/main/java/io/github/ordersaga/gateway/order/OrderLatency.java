package io.github.ordersaga.gateway.order;

import io.github.ordersaga.api.order.OrderCancelled;
import io.github.ordersaga.api.order.OrderCompleted;
import io.github.ordersaga.api.order.OrderRejected;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ordersaga.gateway.order.latency}: from {@code POST /order} until the order reached its terminal state, tagged
 * {@code outcome} (completed, cancelled, rejected), as the gateway learns it from {@code order-status}
 * ({@code OrderCompleted}, {@code OrderCancelled}) and {@code error} ({@code OrderRejected}). With a histogram and
 * the latency targets as buckets, so a dashboard shows the percentiles and the share within each target.
 *
 * <p>Only orders accepted by this instance are timed (the start is in its memory), each once; an order still open
 * after {@value #MAX_OPEN} newer ones is forgotten.
 */
@Component
@ProcessingGroup(OrderLatency.PROCESSING_GROUP)
public class OrderLatency {

    public static final String PROCESSING_GROUP = "order-latency";
    public static final String METER = "ordersaga.gateway.order.latency";
    static final int MAX_OPEN = 50_000;

    private final Map<String, Long> started = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_OPEN;
        }
    };
    private final Timer completed;
    private final Timer cancelled;
    private final Timer rejected;

    public OrderLatency(MeterRegistry meters) {
        completed = timer(meters, "completed");
        cancelled = timer(meters, "cancelled");
        rejected = timer(meters, "rejected");
    }

    private static Timer timer(MeterRegistry meters, String outcome) {
        return Timer.builder(METER)
                .description("From POST /order until the order completed, was cancelled or was rejected")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .serviceLevelObjectives(Duration.ofMillis(150), Duration.ofMillis(400), Duration.ofSeconds(1), Duration.ofSeconds(2))
                .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofMinutes(2))
                .register(meters);
    }

    /** An order accepted at {@code startNanos} ({@link System#nanoTime()}). */
    void accepted(String orderId, long startNanos) {
        synchronized (started) {
            started.put(orderId, startNanos);
        }
    }

    /** Its publish failed: nothing was accepted. */
    void notAccepted(String orderId) {
        synchronized (started) {
            started.remove(orderId);
        }
    }

    @EventHandler
    void on(OrderCompleted event) {
        ended(event.orderId(), completed);
    }

    @EventHandler
    void on(OrderCancelled event) {
        ended(event.orderId(), cancelled);
    }

    @EventHandler
    void on(OrderRejected event) {
        ended(event.orderId(), rejected);
    }

    /** Once the message is stored: a delivery rolled back and handled again is timed once. */
    private void ended(String orderId, Timer timer) {
        Runnable record = () -> {
            Long start;
            synchronized (started) {
                start = started.remove(orderId);
            }
            if (start != null) {
                timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        };
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(u -> record.run());
        } else {
            record.run();
        }
    }
}
