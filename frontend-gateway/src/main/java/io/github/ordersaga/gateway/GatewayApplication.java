package io.github.ordersaga.gateway;

import io.github.ordersaga.api.PublishedLanguage;
import io.github.ordersaga.api.WireRules;
import io.github.ordersaga.pubsub.message.MessageTypes;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The gateway a person talks to: takes orders, publishes them on {@code frontend}, reads Firestore. */
@SpringBootApplication
@EnableScheduling // IdempotencyRecordPruner
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }

    @Bean
    MessageTypes messageTypes() {
        return new MessageTypes(PublishedLanguage.MESSAGES, WireRules::violation);
    }
}
