package io.github.ordersaga.pubsub.outbound;

import com.google.pubsub.v1.PubsubMessage;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * What this app published lately, kept so that {@link Republisher} can publish it again when Pub/Sub may have lost it.
 * Bounded by age ({@code window}) and by count ({@code capacity}); the oldest go first. Topics in {@code excluded} are
 * not kept: their readers do not drop copies (the dead-letter topic, whose letters must come once).
 */
public class RecentMessages {

    /** One message as it was published, and where to. */
    public record Sent(long atNanos, String topic, PubsubMessage message) {
    }

    private final Duration window;
    private final int capacity;
    private final Set<String> excluded;
    private final LongSupplier nanoClock;
    private final Deque<Sent> sent = new ArrayDeque<>();
    private long droppedForCapacity;

    public RecentMessages(Duration window, int capacity, Set<String> excluded, LongSupplier nanoClock) {
        if (window.isNegative() || capacity < 0) {
            throw new IllegalArgumentException("window and capacity must not be negative");
        }
        this.window = window;
        this.capacity = capacity;
        this.excluded = Set.copyOf(excluded);
        this.nanoClock = nanoClock;
    }

    public boolean enabled() {
        return !window.isZero() && capacity > 0;
    }

    public Duration window() {
        return window;
    }

    void add(String topic, PubsubMessage message) {
        if (!enabled() || excluded.contains(topic)) {
            return;
        }
        long now = nanoClock.getAsLong();
        synchronized (sent) {
            sent.addLast(new Sent(now, topic, message));
            if (sent.size() > capacity) {
                sent.removeFirst();
                droppedForCapacity++;
            }
            dropOlderThanWindow(now);
        }
    }

    /** The messages published within the window, oldest first. */
    public List<Sent> withinWindow() {
        synchronized (sent) {
            dropOlderThanWindow(nanoClock.getAsLong());
            return List.copyOf(sent);
        }
    }

    /** How many left before their time because the capacity was reached: then the window was shorter than set. */
    public long droppedForCapacity() {
        synchronized (sent) {
            return droppedForCapacity;
        }
    }

    private void dropOlderThanWindow(long now) {
        long oldest = now - window.toNanos();
        while (!sent.isEmpty() && sent.peekFirst().atNanos() - oldest < 0) {
            sent.removeFirst();
        }
    }
}
