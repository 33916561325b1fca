package io.github.ordersaga.order.config;

import io.github.ordersaga.api.PublishedLanguage;
import io.github.ordersaga.order.query.OrderProjection;
import io.github.ordersaga.order.query.OrderSequencingPolicy;
import io.github.ordersaga.pubsub.message.MessageTypes;
import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Axon and bridge wiring of the order context. */
@Configuration
public class OrderAxonConfig {

    /** The payloads the bridge may receive and send: the published language, nothing local. */
    @Bean
    public MessageTypes messageTypes() {
        return new MessageTypes(PublishedLanguage.MESSAGES);
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
}
