package io.github.ordersaga.pubsub.inbound;

import java.util.concurrent.atomic.LongAdder;

/** What one subscription's consumer has done since start. */
public class SubscriptionStats {

    /** Pull requests sent, empty or not. */
    final LongAdder pulls = new LongAdder();
    final LongAdder handled = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    /** Pulls of several messages handled in one transaction. */
    final LongAdder batches = new LongAdder();
    /** Pulls of several messages that failed together and were handled again one by one. */
    final LongAdder splitBatches = new LongAdder();
    /** Messages handled again at once because another thread or instance changed their aggregate first. */
    final LongAdder conflicts = new LongAdder();

    void record(InboundMessageHandler.Outcome outcome) {
        (outcome == InboundMessageHandler.Outcome.DUPLICATE ? duplicates : handled).increment();
    }

    public long pulls() { return pulls.sum(); }
    public long handled() { return handled.sum(); }
    public long duplicates() { return duplicates.sum(); }
    public long failed() { return failed.sum(); }
    public long deadLettered() { return deadLettered.sum(); }
    public long batches() { return batches.sum(); }
    public long splitBatches() { return splitBatches.sum(); }
    public long conflicts() { return conflicts.sum(); }
}
