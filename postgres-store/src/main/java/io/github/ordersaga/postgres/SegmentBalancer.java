package io.github.ordersaga.postgres;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Collections;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Splits each streaming processor's segments between the instances of an app that share one database. Axon alone
 * does not: the first instance claims every segment and the others stand by. Every instance records a heartbeat;
 * one that holds more than its fair share (segments / live instances, rounded up) releases a segment for a while,
 * and an idle thread of another instance claims it. A dead instance's heartbeat and token claims age out, and the
 * live ones take its segments back.
 */
public class SegmentBalancer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SegmentBalancer.class);

    private final EventProcessingConfiguration processing;
    private final JdbcTemplate jdbc;
    private final Duration interval;
    private final String instance = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
    private ScheduledExecutorService scheduler;

    public SegmentBalancer(EventProcessingConfiguration processing, JdbcTemplate jdbc, Duration interval) {
        this.processing = processing;
        this.jdbc = jdbc;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "segment-balancer");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::balanceSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        try {
            jdbc.update("DELETE FROM ordersaga_instances WHERE instance_id = ?", instance);
        } catch (RuntimeException e) {
            // The heartbeat ages out by itself.
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    private void balanceSafely() {
        try {
            balance();
        } catch (RuntimeException e) {
            log.warn("Segment balancing failed, trying again in {} ms: {}", interval.toMillis(), e.toString());
        }
    }

    void balance() {
        jdbc.update("INSERT INTO ordersaga_instances (instance_id, heartbeat_at) VALUES (?, now()) "
                + "ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = now()", instance);
        long staleAfter = interval.multipliedBy(3).toMillis();
        Integer live = jdbc.queryForObject("SELECT count(*) FROM ordersaga_instances "
                + "WHERE heartbeat_at > now() - make_interval(secs => ?)", Integer.class, staleAfter / 1000.0);
        jdbc.update("DELETE FROM ordersaga_instances WHERE heartbeat_at < now() - interval '1 hour'");
        int instances = Math.max(1, live == null ? 1 : live);
        processing.eventProcessors().forEach((name, processor) -> {
            if (!(processor instanceof StreamingEventProcessor streaming) || !streaming.isRunning()) {
                return;
            }
            Integer segments = jdbc.queryForObject("SELECT count(*) FROM token_entry WHERE processor_name = ?",
                    Integer.class, name);
            var held = streaming.processingStatus().keySet();
            int fair = (int) Math.ceil((segments == null ? 0 : segments) / (double) instances);
            if (held.size() > fair && instances > 1) {
                int segment = Collections.max(held);
                // Long enough for an idle thread of another instance to claim it (Axon looks every 5 s).
                streaming.releaseSegment(segment, interval.multipliedBy(4).toMillis(), TimeUnit.MILLISECONDS);
                log.info("Processor '{}': holding {} of {} segments with {} instances live, releasing segment {}",
                        name, held.size(), segments, instances, segment);
            }
        });
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 200; // after Axon's processors start, before they stop
    }
}
