package io.github.ordersaga.inventory.config;

import io.github.ordersaga.api.PublishedLanguage;
import io.github.ordersaga.api.WireRules;
import io.github.ordersaga.inventory.command.InventoryItem;
import io.github.ordersaga.inventory.policy.ReservationPolicy;
import io.github.ordersaga.inventory.query.InventoryProjection;
import io.github.ordersaga.pubsub.message.MessageTypes;
import io.github.ordersaga.eventstore.BoundedCache;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.NoCache;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon wiring of the inventory context: message types, sequencing, and cheap loading of items. A failed event is
 * retried, not skipped, by the Pub/Sub bridge's default error handler ({@code axon.pubsub.retry-failed-events}).
 */
@Configuration
public class AxonConfig {

    /** What the Pub/Sub bridge may receive and send: the published language, no local messages. */
    @Bean
    public MessageTypes messageTypes() {
        return new MessageTypes(PublishedLanguage.MESSAGES, WireRules::violation);
    }

    /**
     * Events of one order (policies) and of one document (projection) are handled in order by one thread. Events
     * from Pub/Sub are not domain events, so the default per-aggregate policy would run them all concurrently.
     */
    @Bean
    public ConfigurerModule sequencing() {
        return configurer -> configurer.eventProcessing()
                .registerSequencingPolicy(ReservationPolicy.PROCESSING_GROUP, c -> ReservationPolicy.SEQUENCING)
                .registerSequencingPolicy(InventoryProjection.PROCESSING_GROUP, c -> InventoryProjection.SEQUENCING);
    }

    /**
     * A snapshot every {@value InventoryItem#SNAPSHOT_THRESHOLD} events: loading an item then reads one snapshot and
     * fewer than that many events, however long its history. Axon's Snapshotter takes it after the command's commit,
     * in its own transaction.
     */
    @Bean
    public SnapshotTriggerDefinition inventoryItemSnapshotTrigger(Snapshotter snapshotter) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, InventoryItem.SNAPSHOT_THRESHOLD);
    }

    /**
     * Hot items stay in memory between commands (the {@value BoundedCache#DEFAULT_CAPACITY} most recently used). The cache is
     * not checked against the event store, so it is only right while this instance is the only writer: with
     * several instances on one database, a stale copy could ignore a release as unknown. The {@code postgres}
     * profile, where instances may share one database, turns it off ({@code ordersaga.aggregate-cache.enabled=false});
     * snapshots keep loading cheap.
     */
    @Bean
    public Cache inventoryItemCache(@Value("${ordersaga.aggregate-cache.enabled:true}") boolean enabled) {
        return enabled ? new BoundedCache(BoundedCache.DEFAULT_CAPACITY) : NoCache.INSTANCE;
    }
}
