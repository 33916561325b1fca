package io.github.ordersaga.pubsub.outbound;

import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.api.gax.grpc.GrpcCallContext;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiCallContext;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.UnaryCallable;
import com.google.cloud.spring.pubsub.support.PubSubTopicUtils;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.pubsub.v1.PublishRequest;
import com.google.pubsub.v1.PublishResponse;
import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.pubsub.provisioning.PubSubProvisioning;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes to a topic and reports Pub/Sub's acknowledgement as a future; used by everything that publishes.
 *
 * <p>Each message is one {@code Publish} call, retried within the publish timeout. Not the client library's
 * {@code Publisher}: with ordering keys it now and then never completes a publish (1.148.0 logs "Attempted to
 * publish batch with zero messages" and the message is gone, googleapis/java-pubsub#2377), which stalled the
 * outbox for its whole timeout; and its batching buys nothing here, since a batch may hold one ordering key only
 * and the outbox's events of one batch nearly all have different keys. Messages with the same ordering key go one
 * after the other, each once the one before it is stored; when one fails, those queued behind it fail unsent (as
 * the client library does), so that a key's messages never overtake each other.
 */
public class PubSubPublishing {

    private static final Set<StatusCode.Code> RETRYABLE = Set.of(StatusCode.Code.UNAVAILABLE,
            StatusCode.Code.DEADLINE_EXCEEDED, StatusCode.Code.ABORTED, StatusCode.Code.INTERNAL,
            StatusCode.Code.RESOURCE_EXHAUSTED, StatusCode.Code.UNKNOWN, StatusCode.Code.CANCELLED);

    private final UnaryCallable<PublishRequest, PublishResponse> publish;
    private final String projectId;
    private final PubSubProvisioning provisioning;
    private final ApiCallContext context;
    private final RecentMessages recent;
    /** The last message sent or queued per topic and ordering key, until it completes. */
    private final Map<String, CompletableFuture<String>> lastOfKey = new ConcurrentHashMap<>();

    /**
     * @param publish      the {@code Publish} call, e.g. {@code TopicAdminClient.publishCallable()}
     * @param provisioning asked to provision again when Pub/Sub says a topic does not exist
     * @param timeout      the most one publish may take, retries included
     * @param recent       keeps what was published, for {@link Republisher}
     */
    public PubSubPublishing(UnaryCallable<PublishRequest, PublishResponse> publish, String projectId,
                            PubSubProvisioning provisioning, Duration timeout, RecentMessages recent) {
        this.publish = publish;
        this.recent = recent;
        this.projectId = projectId;
        this.provisioning = provisioning;
        RetrySettings retry = RetrySettings.newBuilder()
                .setInitialRetryDelayDuration(Duration.ofMillis(50)).setRetryDelayMultiplier(2)
                .setMaxRetryDelayDuration(Duration.ofSeconds(1))
                .setInitialRpcTimeoutDuration(timeout).setRpcTimeoutMultiplier(1).setMaxRpcTimeoutDuration(timeout)
                .setTotalTimeoutDuration(timeout).build();
        this.context = GrpcCallContext.createDefault().withRetrySettings(retry).withRetryableCodes(RETRYABLE);
    }

    /** Completes with the Pub/Sub message id once Pub/Sub has stored the message. */
    public CompletableFuture<String> publish(String topic, PubsubMessage message) {
        return publish(topic, message, true);
    }

    /** As {@link #publish}, for a message published before and kept: it is not kept a second time. */
    CompletableFuture<String> publishAgain(String topic, PubsubMessage message) {
        return publish(topic, message, false);
    }

    private CompletableFuture<String> publish(String topic, PubsubMessage message, boolean keep) {
        if (provisioning.isStale()) {
            provisioning.onMissing();
            if (provisioning.isStale()) {
                return CompletableFuture.failedFuture(new IllegalStateException("topics are being provisioned again"));
            }
        }
        String key = message.getOrderingKey();
        if (key.isEmpty()) {
            return send(topic, message, keep);
        }
        String chain = topic + '\n' + key;
        CompletableFuture<String> result = lastOfKey.compute(chain, (k, previous) -> previous == null || previous.isDone()
                ? send(topic, message, keep)
                : previous.thenCompose(id -> send(topic, message, keep)));
        result.whenComplete((id, failure) -> lastOfKey.remove(chain, result));
        return result;
    }

    private CompletableFuture<String> send(String topic, PubsubMessage message, boolean keep) {
        PublishRequest request = PublishRequest.newBuilder()
                .setTopic(PubSubTopicUtils.toTopicName(topic, projectId).toString())
                .addMessages(message)
                .build();
        long reprovisionings = provisioning.reprovisionings();
        CompletableFuture<String> result = new CompletableFuture<>();
        ApiFutures.addCallback(publish.futureCall(request, context), new ApiFutureCallback<>() {
            @Override
            public void onSuccess(PublishResponse response) {
                String messageId = response.getMessageIds(0);
                // Retried while Pub/Sub was down, the call may have reached a topic provisioned again meanwhile,
                // before its subscriptions existed: the message would be lost to them, so it counts as not sent.
                if (provisioning.reprovisionings() != reprovisionings) {
                    result.completeExceptionally(new IllegalStateException("topic " + topic
                            + " was provisioned again while message " + messageId + " was being published; sending it again"));
                    return;
                }
                if (keep) {
                    recent.add(topic, message);
                }
                result.complete(messageId);
            }

            @Override
            public void onFailure(Throwable failure) {
                if (isMissingResource(failure)) {
                    provisioning.onMissing();
                }
                result.completeExceptionally(failure);
            }
        }, MoreExecutors.directExecutor());
        return result;
    }

    public static boolean isMissingResource(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NotFoundException) {
                return true;
            }
        }
        return false;
    }
}
