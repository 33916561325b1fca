package io.github.ordersaga.pubsub.provisioning;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.cloud.spring.pubsub.PubSubAdmin;
import com.google.pubsub.v1.DeadLetterPolicy;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.TopicName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Creates the topics and subscriptions an app needs when they are missing: subscriptions with a dead-letter
 * policy, and message ordering when asked for. Safe when several instances start at once.
 */
public class PubSubProvisioner {

    private static final Logger log = LoggerFactory.getLogger(PubSubProvisioner.class);

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
     * @param topics        topics the app publishes to
     * @param subscriptions subscription to topic
     */
    public void provision(Set<String> topics, Map<String, String> subscriptions) {
        ensureTopic(deadLetterTopic);
        // A topic without subscriptions drops what is published to it: keep the dead letters.
        ensureSubscription(deadLetterTopic + "-sub", deadLetterTopic, false);
        Set<String> allTopics = new TreeSet<>(topics);
        allTopics.addAll(subscriptions.values());
        for (String topic : allTopics) { // each topic with its subscriptions, so that little can be published in between
            ensureTopic(topic);
            subscriptions.forEach((subscription, itsTopic) -> {
                if (itsTopic.equals(topic)) {
                    ensureSubscription(subscription, topic, true);
                }
            });
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
