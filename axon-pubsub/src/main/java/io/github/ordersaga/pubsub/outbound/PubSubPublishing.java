package io.github.ordersaga.pubsub.outbound;

import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.spring.pubsub.support.PublisherFactory;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.pubsub.provisioning.PubSubProvisioning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes to a topic and reports Pub/Sub's acknowledgement as a future; used by everything that publishes.
 * At shutdown it shuts its publishers down itself, each for at most the given time: {@code Publisher.shutdown()}
 * can wait forever after a failed ordered publish (google-cloud-java#14001: the messages it cancels stay counted as
 * pending), and Spring's publisher factory calls it without a bound. One that does not finish is left on a daemon
 * thread, logged; the factory's own call then fails fast ("already shut down") instead of hanging the app's exit.
 */
public class PubSubPublishing implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PubSubPublishing.class);

    private final PublisherFactory publishers;
    private final PubSubProvisioning provisioning;
    private final Duration shutdownTimeout;
    private final Set<String> topics = ConcurrentHashMap.newKeySet();

    /** @param provisioning asked to provision again when Pub/Sub says a topic does not exist */
    public PubSubPublishing(PublisherFactory publishers, PubSubProvisioning provisioning, Duration shutdownTimeout) {
        this.publishers = publishers;
        this.provisioning = provisioning;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public void destroy() {
        for (String topic : topics) {
            Publisher publisher = publishers.createPublisher(topic);
            Thread shutdown = new Thread(() -> {
                try {
                    publisher.shutdown();
                } catch (RuntimeException e) {
                    log.debug("Publisher of {} did not shut down cleanly: {}", topic, e.toString());
                }
            }, "pubsub-publisher-shutdown-" + topic);
            shutdown.setDaemon(true);
            shutdown.start();
            try {
                shutdown.join(shutdownTimeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (shutdown.isAlive()) {
                log.warn("The publisher of {} did not shut down within {} ms (messages it cancelled are still counted); "
                        + "leaving it behind", topic, shutdownTimeout.toMillis());
            }
        }
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
        topics.add(topic);
        long reprovisionings = provisioning.reprovisionings();
        CompletableFuture<String> result = new CompletableFuture<>();
        ApiFutures.addCallback(publisher.publish(message), new ApiFutureCallback<>() {
            @Override
            public void onSuccess(String messageId) {
                // The client retries a publish by itself, e.g. while Pub/Sub is down; if topics were provisioned
                // again meanwhile, it may have landed on the new topic before its subscriptions existed.
                if (provisioning.reprovisionings() != reprovisionings) {
                    result.completeExceptionally(new IllegalStateException("topic " + topic
                            + " was provisioned again while message " + messageId + " was being published; sending it again"));
                    return;
                }
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
