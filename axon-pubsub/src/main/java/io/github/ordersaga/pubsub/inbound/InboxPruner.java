package io.github.ordersaga.pubsub.inbound;

import jakarta.persistence.EntityManager;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes inbox entries (and dead-letter records) older than the retention, in bounded batches, on a schedule: the
 * inbox would otherwise grow with every message for ever. An entry is needed only while Pub/Sub may still deliver its
 * message again, which is at most the subscription's retention (7 days at most); the default keeps 8 days.
 */
public class InboxPruner implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(InboxPruner.class);

    private final TransactionManager transactions;
    private final EntityManagerProvider entityManagers;
    private final Duration retention;
    private final int batchSize;
    private final Clock clock;
    private ScheduledExecutorService schedule;

    public InboxPruner(TransactionManager transactions, EntityManagerProvider entityManagers, Duration retention,
                       int batchSize, Clock clock) {
        this.transactions = transactions;
        this.entityManagers = entityManagers;
        this.retention = retention;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    /** Prunes every {@code interval}, the first time one interval after the start. */
    public InboxPruner every(Duration interval) {
        schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "pubsub-inbox-pruner");
            thread.setDaemon(true);
            return thread;
        });
        schedule.scheduleWithFixedDelay(this::pruneLogged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Deletes what is older than the retention, one transaction per batch; returns how many entries went. */
    public int prune() {
        Instant cutoff = clock.instant().minus(retention);
        int total = 0;
        while (true) {
            int deleted = transactions.fetchInTransaction(() -> {
                EntityManager entityManager = entityManagers.getEntityManager();
                List<String> ids = entityManager.createQuery(
                                "select i.messageId from InboxEntry i where i.handledAt < :cutoff", String.class)
                        .setParameter("cutoff", cutoff).setMaxResults(batchSize).getResultList();
                return ids.isEmpty() ? 0 : entityManager.createQuery("delete from InboxEntry i where i.messageId in :ids")
                        .setParameter("ids", ids).executeUpdate();
            });
            total += deleted;
            if (deleted < batchSize) {
                return total;
            }
        }
    }

    private void pruneLogged() {
        try {
            int deleted = prune();
            if (deleted > 0) {
                log.info("Inbox: deleted {} entries older than {}", deleted, retention);
            }
        } catch (RuntimeException e) {
            log.warn("Pruning the inbox failed; trying again at the next interval: {}", e.toString());
        }
    }

    @Override
    public void destroy() {
        if (schedule != null) {
            schedule.shutdownNow();
        }
    }
}
