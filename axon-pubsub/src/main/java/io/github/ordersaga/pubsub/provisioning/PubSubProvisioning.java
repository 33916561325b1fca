package io.github.ordersaga.pubsub.provisioning;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The topics and subscriptions of one app, created at start-up and again when Pub/Sub reports one missing
 * (a restarted emulator, a deleted topic), at most once per {@code minInterval}. Does nothing when disabled.
 */
public class PubSubProvisioning {

    private static final Logger log = LoggerFactory.getLogger(PubSubProvisioning.class);

    private final PubSubProvisioner provisioner;
    private final Set<String> topics;
    private final Map<String, String> subscriptions;
    private final boolean enabled;
    private final Duration minInterval;
    private Instant last = Instant.EPOCH;
    private volatile boolean stale;
    private final AtomicLong reprovisionings = new AtomicLong();

    public PubSubProvisioning(PubSubProvisioner provisioner, Set<String> topics, Map<String, String> subscriptions,
                              boolean enabled, Duration minInterval) {
        this.provisioner = provisioner;
        this.topics = Set.copyOf(topics);
        this.subscriptions = Map.copyOf(subscriptions);
        this.enabled = enabled;
        this.minInterval = minInterval;
    }

    public synchronized void ensureAll() {
        if (!enabled || Instant.now().isBefore(last.plus(minInterval))) {
            return;
        }
        last = Instant.now();
        provisioner.provision(topics, subscriptions);
        stale = false;
    }

    /**
     * True between a report of a missing topic or subscription and the end of the provisioning that follows.
     * Publishing waits for it: a message published to a new topic before its subscriptions exist is lost to them.
     */
    public boolean isStale() {
        return enabled && stale;
    }

    /**
     * How many times a missing topic or subscription was reported. A message whose publish was under way across
     * such a report may have reached a topic created again before its subscriptions were: it must be sent again.
     */
    public long reprovisionings() {
        return reprovisionings.get();
    }

    /** Called when Pub/Sub said a topic or subscription is missing; must not throw into the caller. */
    public void onMissing() {
        if (!enabled) {
            return;
        }
        reprovisionings.incrementAndGet();
        stale = true;
        try {
            log.warn("A topic or subscription is missing; provisioning again");
            ensureAll();
        } catch (RuntimeException e) {
            log.warn("Provisioning again failed: {}", e.toString());
        }
    }
}
