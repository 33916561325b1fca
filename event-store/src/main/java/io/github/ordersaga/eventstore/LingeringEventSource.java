package io.github.ordersaga.eventstore;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The event store as a processor off the order's path reads it: when an event arrives at a processor that had read
 * everything, the processor waits {@code linger} before taking it, so that the events of the next moments join its
 * batch.
 * <p>
 * Why: a batch has fixed costs whatever it holds, a database commit of the processor's token at least (and for a
 * projection a Firestore transaction). At a few orders a second every batch held one event, and those fixed costs were
 * most of what such a processor cost (docs/performance.md). Only for processors no step of the saga waits for: the
 * projection (a view), the outbox once its events went out at commit. A processor with events waiting (catching up,
 * replaying, under load) never lingers, so a backlog drains at full speed.
 */
public final class LingeringEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    /** How the linger is waited for; a test's sleeper can act while the processor waits. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Supplier<StreamableMessageSource<TrackedEventMessage<?>>> source;
    private final Duration linger;
    private final Sleeper sleeper;

    /**
     * @param source  resolved at first use: the event store may be made after this
     * @param setting the setting {@code linger} came from, named when it is refused
     */
    public LingeringEventSource(Supplier<StreamableMessageSource<TrackedEventMessage<?>>> source, Duration linger,
                                String setting) {
        this(source, linger, setting, duration -> Thread.sleep(duration.toMillis()));
    }

    LingeringEventSource(Supplier<StreamableMessageSource<TrackedEventMessage<?>>> source, Duration linger,
                         String setting, Sleeper sleeper) {
        if (linger.isNegative()) {
            throw new IllegalArgumentException(setting + " must not be negative: " + linger);
        }
        this.source = source;
        this.linger = linger;
        this.sleeper = sleeper;
    }

    public Duration linger() {
        return linger;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        BlockingStream<TrackedEventMessage<?>> stream = source.get().openStream(trackingToken);
        return linger.isZero() ? stream : new Lingering(stream);
    }

    @Override
    public TrackingToken createTailToken() {
        return source.get().createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return source.get().createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return source.get().createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return source.get().createTokenSince(duration);
    }

    private final class Lingering implements BlockingStream<TrackedEventMessage<?>> {
        private final BlockingStream<TrackedEventMessage<?>> stream;

        Lingering(BlockingStream<TrackedEventMessage<?>> stream) {
            this.stream = stream;
        }

        /** Called by the processor before each batch: the one place where it waits for events. */
        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            if (stream.hasNextAvailable()) {
                return true; // a backlog: no waiting
            }
            if (!stream.hasNextAvailable(timeout, unit)) {
                return false;
            }
            sleeper.sleep(linger);
            return true;
        }

        @Override
        public boolean hasNextAvailable() {
            return stream.hasNextAvailable();
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return stream.peek();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return stream.nextAvailable();
        }

        @Override
        public void close() {
            stream.close();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            stream.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            return stream.setOnAvailableCallback(callback);
        }
    }
}
