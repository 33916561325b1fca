package io.github.ordersaga.pubsub.outbound;

import com.google.api.core.SettableApiFuture;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.spring.pubsub.support.PublisherFactory;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.pubsub.provisioning.PubSubProvisioner;
import io.github.ordersaga.pubsub.provisioning.PubSubProvisioning;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * When a publish counts as done. (The bridge against the real emulator, Pub/Sub restarted under it included, is
 * {@code PubSubBridgeTest}; this pins the one race there that timing alone rarely shows.)
 */
class PubSubPublishingTest {

    private final SettableApiFuture<String> stored = SettableApiFuture.create();
    private final SettableApiFuture<String> storedLater = SettableApiFuture.create();
    private final PubSubProvisioning provisioning = new PubSubProvisioning(mock(PubSubProvisioner.class),
            Set.of("out"), Map.of("out-sub", "out"), true, Duration.ZERO);
    private final PubSubPublishing publishing;

    PubSubPublishingTest() {
        Publisher publisher = mock(Publisher.class);
        when(publisher.publish(any())).thenReturn(stored, storedLater);
        PublisherFactory publishers = mock(PublisherFactory.class);
        when(publishers.createPublisher("out")).thenReturn(publisher);
        publishing = new PubSubPublishing(publishers, provisioning, Duration.ofSeconds(1));
    }

    @Test
    void aMessageStoredByPubSubIsPublished() {
        CompletableFuture<String> result = publishing.publish("out", message());
        stored.set("m-1");

        assertThat(result).isCompletedWithValue("m-1");
    }

    /**
     * The client library retries a publish by itself while Pub/Sub is unreachable. Pub/Sub came back empty, and
     * the topics were provisioned again while the retry was under way: the message may have reached the new topic
     * before its subscription existed, so it is lost to that subscription. It must count as not published.
     */
    @Test
    void aMessageStoredWhileTopicsWereProvisionedAgainIsSentAgain() {
        CompletableFuture<String> result = publishing.publish("out", message());
        provisioning.onMissing();
        stored.set("m-1");

        assertThat(result).isCompletedExceptionally();
        CompletableFuture<String> again = publishing.publish("out", message());
        storedLater.set("m-2");
        assertThat(again).as("sent after the provisioning").isCompletedWithValue("m-2");
    }

    private static PubsubMessage message() {
        return PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8("{}")).build();
    }
}
