package io.github.ordersaga.pubsub.inbound;

import org.springframework.context.SmartLifecycle;

import java.time.Duration;

/**
 * What the two receivers ({@link PubSubInboundConsumer}, {@link StreamingPullReceiver}) share: they start after the
 * rest of the app (Axon's processors included) and stop before it, and their threads' pauses end when they stop.
 */
abstract class Receiver implements SmartLifecycle {

    private final Object wakeUp = new Object();
    protected volatile boolean running;

    /** Stops the receiving: wakes every thread that pauses, which then sees it should stop. */
    protected void stopRunning() {
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    /** Pauses for the given time, or until the receiver stops; false when it stops (meanwhile or before). */
    protected boolean pause(Duration duration) {
        synchronized (wakeUp) {
            if (running) {
                try {
                    wakeUp.wait(Math.max(1, duration.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
        return running;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }
}
