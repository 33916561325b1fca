package io.github.ordersaga.pubsub.outbound;

import com.google.cloud.spring.pubsub.PubSubAdmin;
import io.github.ordersaga.pubsub.provisioning.PubSubProvisioning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes the {@link RecentMessages} again after Pub/Sub lost them. The emulator holds everything in memory: killed
 * and started again, it comes back without the messages not yet delivered, and without topics and subscriptions.
 * Google Cloud loses nothing this way, so this is on by default only against the emulator
 * ({@code axon.pubsub.republish.window}).
 *
 * <p>How a loss is seen: this instance makes a topic of its own (a marker) and looks every {@code interval} whether it
 * is still there. Failed calls are no sign: the client library retries many of them unseen, and another app may have
 * made the shared topics and subscriptions again before this one calls. When the marker is gone, the instance
 * provisions its topics and subscriptions again at once, waits {@code delay} for the other apps to do the same (until
 * then, what is published to a topic is lost to the subscriptions not yet made, and it is in the window too), then
 * publishes the window again. Receivers drop what they had already (the inbox), so a copy costs a lookup.
 */
public class Republisher implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Republisher.class);

    private final RecentMessages recent;
    private final PubSubPublishing publishing;
    private final PubSubAdmin admin;
    private final PubSubProvisioning provisioning;
    private final Duration interval;
    private final Duration delay;
    private final Duration timeout;
    private final String marker = "pubsub-bridge-alive-" + UUID.randomUUID();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private boolean markerMade;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "pubsub-republisher");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param interval how often to look for the marker
     * @param delay    how long to wait after a loss, for every app to make its subscriptions again
     * @param timeout  the most one republish may take before it is tried again
     */
    public Republisher(RecentMessages recent, PubSubPublishing publishing, PubSubAdmin admin, PubSubProvisioning provisioning,
                       Duration interval, Duration delay, Duration timeout) {
        this.recent = recent;
        this.publishing = publishing;
        this.admin = admin;
        this.provisioning = provisioning;
        this.interval = interval;
        this.delay = delay;
        this.timeout = timeout;
    }

    @Override
    public void afterPropertiesSet() {
        if (recent.enabled()) {
            scheduler.scheduleWithFixedDelay(this::lookForMarker, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void lookForMarker() {
        try {
            if (admin.getTopic(marker) != null) {
                return;
            }
            admin.createTopic(marker);
            if (markerMade) {
                lost();
            }
            markerMade = true;
        } catch (RuntimeException e) {
            log.debug("Looking for marker topic {} failed (Pub/Sub unreachable?); looking again in {} ms: {}",
                    marker, interval.toMillis(), e.toString());
        }
    }

    private void lost() {
        log.warn("Pub/Sub lost this app's marker topic {}, so it lost what it held (a restarted emulator comes back empty): "
                + "provisioning again, and publishing this app's messages of the last {} again in {} ms", marker,
                recent.window(), delay.toMillis());
        provisioning.onMissing();
        scheduleRepublish();
    }

    private void scheduleRepublish() {
        if (scheduled.compareAndSet(false, true)) {
            scheduler.schedule(this::republish, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void republish() {
        scheduled.set(false);
        List<RecentMessages.Sent> again = recent.withinWindow();
        if (again.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        try {
            CompletableFuture.allOf(again.stream().map(sent -> publishing.publishAgain(sent.topic(), sent.message()))
                    .toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long dropped = recent.droppedForCapacity();
            log.info("Published {} message(s) of the last {} again in {} ms; receivers drop those they had{}", again.size(),
                    recent.window(), Duration.ofNanos(System.nanoTime() - started).toMillis(),
                    dropped == 0 ? "" : " (" + dropped + " older ones were not kept: the capacity was reached first)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Publishing {} message(s) again failed; trying again in {} ms: {}", again.size(), delay.toMillis(), e.toString());
            scheduleRepublish();
        }
    }

    /** The marker goes with the instance; one left by a crash is an empty topic nobody publishes to. */
    @Override
    public void destroy() {
        scheduler.shutdownNow();
        if (markerMade) {
            try {
                admin.deleteTopic(marker);
            } catch (RuntimeException e) {
                log.debug("Deleting marker topic {} failed: {}", marker, e.toString());
            }
        }
    }
}
