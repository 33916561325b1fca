package io.github.ordersaga.gateway.order;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.domain.Limit;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Forgets {@code Idempotency-Key}s older than {@code ordersaga.gateway.idempotency-retention} (24 h), in batches,
 * every {@code ordersaga.gateway.idempotency-prune-interval}: they would otherwise pile up with every order. A client
 * retries within minutes; a key sent again after the retention derives the same order id, which the order context
 * already knows, so it still makes no second order.
 */
@Component
public class IdempotencyRecordPruner {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyRecordPruner.class);
    private static final int BATCH = 1000;

    private final IdempotencyRecords records;
    private final TransactionTemplate transactions;
    private final Duration retention;

    IdempotencyRecordPruner(IdempotencyRecords records, TransactionTemplate transactions,
                            @Value("${ordersaga.gateway.idempotency-retention:24h}") Duration retention) {
        this.records = records;
        this.transactions = transactions;
        this.retention = retention;
    }

    /** Deletes the keys older than the retention, one transaction per batch; returns how many went. */
    public int prune() {
        Instant cutoff = Instant.now().minus(retention);
        int total = 0;
        while (true) {
            Integer deleted = transactions.execute(status -> {
                List<String> keys = records.keysCreatedBefore(cutoff, Limit.of(BATCH));
                records.deleteAllByIdInBatch(keys);
                return keys.size();
            });
            total += deleted;
            if (deleted < BATCH) {
                return total;
            }
        }
    }

    @Scheduled(fixedDelayString = "${ordersaga.gateway.idempotency-prune-interval:1h}",
            initialDelayString = "${ordersaga.gateway.idempotency-prune-interval:1h}")
    void pruneOnSchedule() {
        try {
            int deleted = prune();
            if (deleted > 0) {
                log.info("Forgot {} Idempotency-Key(s) older than {}", deleted, retention);
            }
        } catch (RuntimeException e) {
            log.warn("Pruning Idempotency-Keys failed; trying again at the next interval: {}", e.toString());
        }
    }
}
