package io.github.ordersaga.pubsub.outbound;

import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.spring.pubsub.support.PublisherFactory;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.pubsub.provisioning.PubSubProvisioning;

import java.util.concurrent.CompletableFuture;

/** Publishes to a topic and reports Pub/Sub's acknowledgement as a future; used by everything that publishes. */
public class PubSubPublishing {

    private final PublisherFactory publishers;
    private final PubSubProvisioning provisioning;

    /** @param provisioning asked to provision again when Pub/Sub says a topic does not exist */
    public PubSubPublishing(PublisherFactory publishers, PubSubProvisioning provisioning) {
        this.publishers = publishers;
        this.provisioning = provisioning;
    }

    /** Completes with the Pub/Sub message id once Pub/Sub has stored the message. */
    public CompletableFuture<String> publish(String topic, PubsubMessage message) {
        if (provisioning.isStale()) {
            provisioning.onMissing();
            if (provisioning.isStale()) {
                return CompletableFuture.failedFuture(new IllegalStateException("topics are being provisioned again"));
            }
        }
        Publisher publisher = publishers.createPublisher(topic); // cached per topic by the factory
        CompletableFuture<String> result = new CompletableFuture<>();
        ApiFutures.addCallback(publisher.publish(message), new ApiFutureCallback<>() {
            @Override
            public void onSuccess(String messageId) {
                result.complete(messageId);
            }

            @Override
            public void onFailure(Throwable failure) {
                // An ordered publisher pauses a key after a failure; the caller retries, so let the key go on.
                if (!message.getOrderingKey().isEmpty()) {
                    publisher.resumePublish(message.getOrderingKey());
                }
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
