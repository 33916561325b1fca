package io.github.ordersaga.pubsub;

import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.pubsub.inbound.Deliveries;
import io.github.ordersaga.pubsub.inbound.PubSubInboundConsumer;
import io.github.ordersaga.pubsub.inbound.StreamingPullReceiver;
import io.github.ordersaga.pubsub.message.Attributes;
import io.github.ordersaga.pubsub.testapp.BridgeTestApp;
import io.github.ordersaga.pubsub.testapp.BridgeTestApp.Handlers;
import io.github.ordersaga.testsupport.Emulators;
import io.github.ordersaga.testsupport.PubSubProbe;
import io.github.ordersaga.testsupport.WithEmulators;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The streaming receiver ({@code axon.pubsub.inbound.receiver=streaming}, for Google Cloud) on the emulator, while
 * messages flow: the 0.8.20 emulator cancels a stream idle for 30 s or more, so nothing here waits that long. Its own
 * topic and subscription: a stream the emulator keeps feeding after this app stops then takes nobody else's messages.
 */
@WithEmulators
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamingPullReceiverTest {

    private PubSubProbe probe;
    private ConfigurableApplicationContext app;

    @BeforeAll
    void start(Emulators emulators) throws Exception {
        probe = new PubSubProbe(emulators.pubsubHost(), emulators.projectId());
        app = new SpringApplicationBuilder(BridgeTestApp.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "spring.datasource.url=jdbc:h2:mem:streaming-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                        "spring.jpa.hibernate.ddl-auto=update",
                        "axon.serializer.general=jackson", "axon.serializer.events=jackson", "axon.serializer.messages=jackson",
                        "axon.pubsub.outbound.enabled=false",
                        "axon.pubsub.inbound.receiver=streaming",
                        "axon.pubsub.inbound.subscriptions.bridge-streaming-sub=bridge-streaming")
                .run();
    }

    @AfterAll
    void stop() throws Exception {
        app.close();
        probe.close();
    }

    @Test
    void theStreamingReceiverAloneReceivesAndEachMessageIsHandledOnce() throws Exception {
        assertThat(app.getBeansOfType(PubSubInboundConsumer.class)).isEmpty();
        assertThat(app.getBeansOfType(StreamingPullReceiver.class)).hasSize(1);
        Handlers effects = app.getBean(Handlers.class);
        String run = UUID.randomUUID().toString();
        List<String> ids = IntStream.range(0, 20).mapToObj(i -> run + "-" + i).toList();

        for (String id : ids) {
            probe.publish("bridge-streaming", "{\"uuid\":\"" + id + "\"}", Map.of(Attributes.TYPE, "Ping"));
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> ids.stream().allMatch(id -> effects.count("ping", id) == 1));
        assertThat(app.getBean(Deliveries.class).stats().get("bridge-streaming-sub").pulls()).as("nothing polls").isZero();
    }

    @Test
    void aMessageThatCanNeverBeHandledIsDeadLetteredOnceAndTheNextIsHandled() throws Exception {
        Handlers effects = app.getBean(Handlers.class);
        String id = UUID.randomUUID().toString();
        probe.createSubscription("streaming-dead-letters-" + id, "dead-letter");

        probe.publish("bridge-streaming", PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8("{not json " + id))
                .putAttributes(Attributes.TYPE, "Ping").build());
        probe.publish("bridge-streaming", "{\"uuid\":\"" + id + "\"}", Map.of(Attributes.TYPE, "Ping"));

        await().atMost(Duration.ofSeconds(15)).until(() -> effects.count("ping", id) == 1);
        List<PubsubMessage> dead = probe.pull("streaming-dead-letters-" + id, 2, Duration.ofSeconds(5),
                m -> m.getData().toStringUtf8().contains(id));
        assertThat(dead).singleElement().satisfies(m -> assertThat(m.getAttributesMap())
                .containsEntry(Attributes.DEAD_LETTER_SUBSCRIPTION, "bridge-streaming-sub"));
        probe.deleteSubscription("streaming-dead-letters-" + id);
    }
}
