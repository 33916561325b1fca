package io.github.ordersaga.payment.config;

import io.github.ordersaga.api.PublishedLanguage;
import io.github.ordersaga.api.WireRules;
import io.github.ordersaga.payment.query.InvoiceProjection;
import io.github.ordersaga.payment.query.InvoiceSequencingPolicy;
import io.github.ordersaga.pubsub.message.MessageTypes;
import io.github.ordersaga.payment.command.Account;
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

/** Axon and bridge wiring of the payment context. */
@Configuration
public class PaymentAxonConfig {

    /** The payloads the bridge may receive and send: the published language, nothing local. */
    @Bean
    public MessageTypes messageTypes() {
        return new MessageTypes(PublishedLanguage.MESSAGES, WireRules::violation);
    }

    /**
     * A user's account gets an event with every order it pays for: a snapshot every
     * {@value Account#SNAPSHOT_THRESHOLD} events keeps loading it cheap however many orders the user placed.
     */
    @Bean
    public SnapshotTriggerDefinition accountSnapshotTrigger(Snapshotter snapshotter) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, Account.SNAPSHOT_THRESHOLD);
    }

    /**
     * Every order charges its user's account: accounts stay in memory between commands (the {@value BoundedCache#DEFAULT_CAPACITY}
     * most recently used), which spares reading the snapshot and the events after it per order. The cache is not
     * checked against the event store, so it is only right while this instance is the only writer: the
     * {@code postgres} profile, where instances may share one database, turns it off
     * ({@code ordersaga.aggregate-cache.enabled=false}).
     */
    @Bean
    public Cache accountCache(@Value("${ordersaga.aggregate-cache.enabled:true}") boolean enabled) {
        return enabled ? new BoundedCache(BoundedCache.DEFAULT_CAPACITY) : NoCache.INSTANCE;
    }

    /** One writer per invoice document: all events of one order go to one segment, in store order. */
    @Bean
    public ConfigurerModule projectionSequencing() {
        return configurer -> configurer.eventProcessing()
                .registerSequencingPolicy(InvoiceProjection.PROCESSING_GROUP, c -> new InvoiceSequencingPolicy());
    }
}
