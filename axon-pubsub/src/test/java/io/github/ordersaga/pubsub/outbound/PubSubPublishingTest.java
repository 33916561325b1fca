package io.github.ordersaga.pubsub.outbound;

import com.google.api.core.ApiFuture;
import com.google.api.core.SettableApiFuture;
import com.google.api.gax.rpc.ApiCallContext;
import com.google.api.gax.rpc.UnaryCallable;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PublishRequest;
import com.google.pubsub.v1.PublishResponse;
import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.pubsub.provisioning.PubSubProvisioner;
import io.github.ordersaga.pubsub.provisioning.PubSubProvisioning;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * When a publish counts as done, and in which order a key's messages go. (The bridge against the real emulator,
 * Pub/Sub restarted under it and a key's messages arriving in order included, is {@code PubSubBridgeTest}; this
 * pins the races there that timing alone rarely shows.)
 */
class PubSubPublishingTest {

    /** The {@code Publish} call, answered by the test: one pending future per request, in the order sent. */
    private final List<PublishRequest> sent = new ArrayList<>();
    private final List<SettableApiFuture<PublishResponse>> answers = new ArrayList<>();
    private final PubSubProvisioning provisioning = new PubSubProvisioning(mock(PubSubProvisioner.class),
            Set.of("out"), Map.of("out-sub", "out"), true, Duration.ZERO);
    private final RecentMessages recent = new RecentMessages(Duration.ofMinutes(5), 100, Set.of("dead-letter"), System::nanoTime);
    private final PubSubPublishing publishing = new PubSubPublishing(new UnaryCallable<>() {
        @Override
        public synchronized ApiFuture<PublishResponse> futureCall(PublishRequest request, ApiCallContext context) {
            SettableApiFuture<PublishResponse> answer = SettableApiFuture.create();
            sent.add(request);
            answers.add(answer);
            return answer;
        }
    }, "test-project", provisioning, Duration.ofSeconds(1), recent);

    @Test
    void aMessageStoredByPubSubIsPublished() {
        CompletableFuture<String> result = publishing.publish("out", message("", "a"));
        store(0, "m-1");

        assertThat(result).isCompletedWithValue("m-1");
        assertThat(sent.get(0).getTopic()).isEqualTo("projects/test-project/topics/out");
    }

    @Test
    void onlyWhatPubSubStoredIsKeptToBePublishedAgainAndOnlyOnce() {
        CompletableFuture<String> stored = publishing.publish("out", message("", "stored"));
        CompletableFuture<String> refused = publishing.publish("out", message("", "refused"));
        CompletableFuture<String> deadLetter = publishing.publish("dead-letter", message("", "dead letter"));
        store(0, "m-1");
        answers.get(1).setException(new IllegalStateException("refused"));
        store(2, "m-3");
        assertThat(List.of(stored, refused, deadLetter)).allMatch(CompletableFuture::isDone);

        CompletableFuture<String> again = publishing.publishAgain("out", recent.withinWindow().get(0).message());
        store(3, "m-4");

        assertThat(again).isCompletedWithValue("m-4");
        assertThat(recent.withinWindow()).extracting(s -> s.message().getData().toStringUtf8())
                .as("the copy sent again is not kept a second time; dead letters are never kept").containsExactly("stored");
    }

    /**
     * Pub/Sub may be unreachable while a call is retried. It came back empty, and the topics were provisioned again
     * while the retry was under way: the message may have reached the new topic before its subscription existed,
     * so it is lost to that subscription. It must count as not published.
     */
    @Test
    void aMessageStoredWhileTopicsWereProvisionedAgainIsSentAgain() {
        CompletableFuture<String> result = publishing.publish("out", message("", "a"));
        provisioning.onMissing();
        store(0, "m-1");

        assertThat(result).isCompletedExceptionally();
        CompletableFuture<String> again = publishing.publish("out", message("", "a"));
        store(1, "m-2");
        assertThat(again).as("sent after the provisioning").isCompletedWithValue("m-2");
    }

    @Test
    void aKeysNextMessageIsSentOnlyOnceTheOneBeforeIsStoredWhileOtherKeysGoAtOnce() {
        CompletableFuture<String> first = publishing.publish("out", message("order-1", "first"));
        CompletableFuture<String> second = publishing.publish("out", message("order-1", "second"));
        CompletableFuture<String> other = publishing.publish("out", message("order-2", "other"));

        assertThat(sent).extracting(r -> r.getMessages(0).getData().toStringUtf8()).containsExactly("first", "other");
        store(0, "m-1");
        assertThat(sent).extracting(r -> r.getMessages(0).getData().toStringUtf8()).containsExactly("first", "other", "second");
        store(2, "m-2");
        store(1, "m-3");
        assertThat(first).isCompletedWithValue("m-1");
        assertThat(second).isCompletedWithValue("m-2");
        assertThat(other).isCompletedWithValue("m-3");
    }

    /** Sending the second would put it on Pub/Sub before the first, which the outbox will send again. */
    @Test
    void whenAKeysMessageFailsTheOnesQueuedBehindItFailUnsentAndTheKeyThenGoesOn() {
        CompletableFuture<String> first = publishing.publish("out", message("order-1", "first"));
        CompletableFuture<String> second = publishing.publish("out", message("order-1", "second"));

        answers.get(0).setException(new IllegalStateException("unavailable"));

        assertThat(first).isCompletedExceptionally();
        assertThat(second).isCompletedExceptionally();
        assertThat(sent).hasSize(1);
        CompletableFuture<String> retried = publishing.publish("out", message("order-1", "first"));
        assertThat(sent).as("the key is not paused for good").hasSize(2);
        store(1, "m-1");
        assertThat(retried).isCompletedWithValue("m-1");
    }

    private void store(int request, String messageId) {
        answers.get(request).set(PublishResponse.newBuilder().addMessageIds(messageId).build());
    }

    private static PubsubMessage message(String orderingKey, String data) {
        return PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8(data)).setOrderingKey(orderingKey).build();
    }
}
