package io.github.ordersaga.pubsub.provisioning;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.spring.pubsub.PubSubAdmin;
import com.google.pubsub.v1.DeadLetterPolicy;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.TopicName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Creates the topics and subscriptions an app needs when they are missing: subscriptions with a dead-letter
 * policy, and message ordering when asked for. Safe when several instances start at once.
 */
public class PubSubProvisioner {

    private static final Logger log = LoggerFactory.getLogger(PubSubProvisioner.class);

    /** Failures that concern the one topic or subscription asked for, not Pub/Sub as a whole. */
    private static final Set<StatusCode.Code> ONE_RESOURCE_FAULTS = Set.of(StatusCode.Code.INVALID_ARGUMENT,
            StatusCode.Code.PERMISSION_DENIED, StatusCode.Code.NOT_FOUND, StatusCode.Code.FAILED_PRECONDITION);

    private final PubSubAdmin admin;
    private final String projectId;
    private final String deadLetterTopic;
    private final int ackDeadlineSeconds;
    private final int deadLetterMaxDeliveryAttempts;
    private final boolean messageOrdering;

    public PubSubProvisioner(PubSubAdmin admin, String projectId, String deadLetterTopic,
                             int ackDeadlineSeconds, int deadLetterMaxDeliveryAttempts, boolean messageOrdering) {
        this.admin = admin;
        this.projectId = projectId;
        this.deadLetterTopic = deadLetterTopic;
        this.ackDeadlineSeconds = ackDeadlineSeconds;
        this.deadLetterMaxDeliveryAttempts = deadLetterMaxDeliveryAttempts;
        this.messageOrdering = messageOrdering;
    }

    /**
     * Each topic and subscription on its own: one that cannot be made (a bad name, a permission missing) is logged
     * and left out, and the rest are made all the same, so that one failing subscription does not stop the app from
     * publishing and receiving on the others. The receiver then reports that one as failing in health.
     *
     * @param topics        topics the app publishes to
     * @param subscriptions subscription to topic
     * @return what could not be made, with why
     */
    public Map<String, String> provision(Set<String> topics, Map<String, String> subscriptions) {
        Map<String, String> failed = new TreeMap<>();
        attempt(failed, "topic " + deadLetterTopic, () -> ensureTopic(deadLetterTopic));
        // A topic without subscriptions drops what is published to it: keep the dead letters.
        attempt(failed, "subscription " + deadLetterTopic + "-sub", () -> ensureSubscription(deadLetterTopic + "-sub", deadLetterTopic, false));
        Set<String> allTopics = new TreeSet<>(topics);
        allTopics.addAll(subscriptions.values());
        for (String topic : allTopics) { // each topic with its subscriptions, so that little can be published in between
            attempt(failed, "topic " + topic, () -> ensureTopic(topic));
            subscriptions.forEach((subscription, itsTopic) -> {
                if (itsTopic.equals(topic)) {
                    attempt(failed, "subscription " + subscription, () -> ensureSubscription(subscription, topic, true));
                }
            });
        }
        return failed;
    }

    /** Pub/Sub unreachable or slow is not one resource's fault: that still fails the whole provisioning, as before. */
    private static void attempt(Map<String, String> failed, String what, Runnable provisioning) {
        try {
            provisioning.run();
        } catch (ApiException e) {
            if (!ONE_RESOURCE_FAULTS.contains(e.getStatusCode().getCode())) {
                throw e;
            }
            failed.put(what, e.toString());
            log.error("Could not provision {}; going on with the rest: {}", what, e.toString());
        }
    }

    private void ensureTopic(String topic) {
        if (admin.getTopic(topic) != null) {
            return;
        }
        try {
            admin.createTopic(topic);
            log.info("Created topic {}", topic);
        } catch (AlreadyExistsException e) {
            log.debug("Topic {} was created meanwhile", topic);
        }
    }

    private void ensureSubscription(String subscription, String topic, boolean deadLettered) {
        if (admin.getSubscription(subscription) != null) {
            return;
        }
        Subscription.Builder spec = Subscription.newBuilder()
                .setName(subscription)
                .setTopic(topic)
                .setAckDeadlineSeconds(ackDeadlineSeconds)
                .setEnableMessageOrdering(messageOrdering);
        if (deadLettered) {
            spec.setDeadLetterPolicy(DeadLetterPolicy.newBuilder()
                    .setDeadLetterTopic(TopicName.format(projectId, deadLetterTopic))
                    .setMaxDeliveryAttempts(deadLetterMaxDeliveryAttempts));
        }
        try {
            admin.createSubscription(spec);
            log.info("Created subscription {} on topic {}", subscription, topic);
        } catch (AlreadyExistsException e) {
            log.debug("Subscription {} was created meanwhile", subscription);
        }
    }
}
