package io.github.ordersaga.order.config;

import io.github.ordersaga.api.PublishedLanguage;
import io.github.ordersaga.api.WireRules;
import io.github.ordersaga.order.query.OrderProjection;
import io.github.ordersaga.order.query.OrderSequencingPolicy;
import io.github.ordersaga.pubsub.message.MessageTypes;
import io.github.ordersaga.order.command.Customer;
import io.github.ordersaga.order.command.Order;
import io.github.ordersaga.eventstore.BoundedCache;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.NoCache;
import org.axonframework.config.ConfigurerModule;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Axon and bridge wiring of the order context. */
@Configuration
public class OrderAxonConfig {

    /** The payloads the bridge may receive and send: the published language, nothing local. */
    @Bean
    public MessageTypes messageTypes() {
        return new MessageTypes(PublishedLanguage.MESSAGES, WireRules::violation);
    }


    /**
     * One writer per document: the events of one order (its own and the inbound ones, whose aggregate id is only
     * their event id) go to one segment, in store order.
     */
    @Bean
    public ConfigurerModule projectionSequencing() {
        return configurer -> configurer.eventProcessing()
                .registerSequencingPolicy(OrderProjection.PROCESSING_GROUP, c -> new OrderSequencingPolicy());
    }

    /**
     * A user's {@link Customer} is read for every order it places, an {@link Order} again when it completes or is
     * cancelled: both stay in memory between commands (the {@value BoundedCache#DEFAULT_CAPACITY} most recently used), which
     * spares two queries (snapshot, events) per load. The cache is not checked against the event store, so it is
     * only right while this instance is the only writer: the {@code postgres} profile, where instances may share one
     * database, turns it off ({@code ordersaga.aggregate-cache.enabled=false}).
     */
    @Bean
    public Cache customerCache(@Value("${ordersaga.aggregate-cache.enabled:true}") boolean enabled) {
        return enabled ? new BoundedCache(BoundedCache.DEFAULT_CAPACITY) : NoCache.INSTANCE;
    }

    /** See {@link #customerCache}. */
    @Bean
    public Cache orderCache(@Value("${ordersaga.aggregate-cache.enabled:true}") boolean enabled) {
        return enabled ? new BoundedCache(BoundedCache.DEFAULT_CAPACITY) : NoCache.INSTANCE;
    }
}
