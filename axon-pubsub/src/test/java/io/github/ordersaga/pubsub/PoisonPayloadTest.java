package io.github.ordersaga.pubsub;

import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.pubsub.message.Attributes;
import io.github.ordersaga.pubsub.testapp.BridgeTestApp;
import io.github.ordersaga.pubsub.testapp.BridgeTestApp.Handlers;
import io.github.ordersaga.testsupport.Emulators;
import io.github.ordersaga.testsupport.PubSubProbe;
import io.github.ordersaga.testsupport.WithEmulators;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Poison that parses: JSON of another shape, or of the right shape with values no handler can use. Read as they
 * were, they became events full of nulls that a processor retried for ever, blocking every event behind them.
 */
@WithEmulators
class PoisonPayloadTest {

    @Test
    void parseablePoisonIsDeadLetteredAtOnceAndTheNextMessageIsHandled(Emulators emulators) throws Exception {
        String run = UUID.randomUUID().toString();
        try (ConfigurableApplicationContext app = start(); PubSubProbe probe = new PubSubProbe(emulators.pubsubHost(), emulators.projectId())) {
            Handlers effects = app.getBean(Handlers.class);
            List<String> poison = List.of(
                    "{\"text\":\"" + run + "\"}",              // no uuid: read as Ping(null, ...)
                    "{\"uuid\":\"  \"}",                      // blank id
                    "{\"uuid\":\"" + run + "\"} {}");         // JSON and then more
            for (String data : poison) {
                probe.publish("bridge-in", PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8(data))
                        .putAttributes(Attributes.TYPE, "Ping").putAttributes("test-run", run).build());
            }
            probe.publish("bridge-in", PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8("{\"uuid\":\"" + run + "\"}"))
                    .putAttributes(Attributes.TYPE, "Ping").putAttributes(Attributes.KIND, "banana").putAttributes("test-run", run).build());
            String next = UUID.randomUUID().toString();
            probe.publish("bridge-in", "{\"uuid\":\"" + next + "\"}", java.util.Map.of(Attributes.TYPE, "Ping"));

            List<PubsubMessage> dead = probe.pull("dead-letter-sub", 4, Duration.ofSeconds(15),
                    m -> run.equals(m.getAttributesOrDefault("test-run", "")));
            assertThat(dead).extracting(m -> m.getAttributesOrDefault(Attributes.DEAD_LETTER_REASON, "")).hasSize(4)
                    .anySatisfy(r -> assertThat(r).isEqualTo("data is not a valid Ping: field 'uuid' is missing"))
                    .anySatisfy(r -> assertThat(r).isEqualTo("data is not a valid Ping: field 'uuid' is blank"))
                    .anySatisfy(r -> assertThat(r).startsWith("data is not a valid Ping: Trailing token"))
                    .anySatisfy(r -> assertThat(r).isEqualTo("unknown kind 'banana'"));
            assertThat(dead).allSatisfy(m -> assertThat(m.getAttributesMap()).containsEntry(Attributes.DEAD_LETTER_ATTEMPTS, "1"));
            await().atMost(Duration.ofSeconds(10)).until(() -> effects.count("ping", next) == 1);
            assertThat(effects.count("ping", run)).isZero();
        }
    }

    private static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(BridgeTestApp.class).web(WebApplicationType.NONE).properties(
                "spring.datasource.url=jdbc:h2:mem:poison-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "spring.jpa.hibernate.ddl-auto=update",
                "axon.serializer.general=jackson", "axon.serializer.events=jackson", "axon.serializer.messages=jackson",
                "axon.pubsub.outbound.enabled=false",
                "axon.pubsub.inbound.subscriptions.bridge-in-sub=bridge-in").run();
    }
}
