package io.github.ordersaga.testsupport;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcCallContext;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.DeadlineExceededException;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.UnavailableException;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.cloud.pubsub.v1.stub.GrpcPublisherStub;
import com.google.cloud.pubsub.v1.stub.GrpcSubscriberStub;
import com.google.cloud.pubsub.v1.stub.PublisherStub;
import com.google.cloud.pubsub.v1.stub.PublisherStubSettings;
import com.google.cloud.pubsub.v1.stub.SubscriberStub;
import com.google.cloud.pubsub.v1.stub.SubscriberStubSettings;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.PublishRequest;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A test's own Pub/Sub client on the emulator: publishes raw messages and pulls what arrived. */
public final class PubSubProbe implements AutoCloseable {

    private final String projectId;
    private final ManagedChannel channel;
    private final TransportChannelProvider transport;
    private static final Duration PUBLISH_DEADLINE = Duration.ofMinutes(2);

    private final SubscriberStub subscriber;
    private final PublisherStub publisher;

    public PubSubProbe(String emulatorHost, String projectId) throws Exception {
        this.projectId = projectId;
        this.channel = ManagedChannelBuilder.forTarget(emulatorHost).usePlaintext().build();
        this.transport = FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
        this.subscriber = GrpcSubscriberStub.create(SubscriberStubSettings.newBuilder()
                .setTransportChannelProvider(transport).setCredentialsProvider(NoCredentialsProvider.create()).build());
        this.publisher = GrpcPublisherStub.create(PublisherStubSettings.newBuilder()
                .setTransportChannelProvider(transport).setCredentialsProvider(NoCredentialsProvider.create()).build());
    }

    public String publish(String topic, PubsubMessage message) throws Exception {
        return publishAll(topic, List.of(message)).get(0);
    }

    /**
     * Publishes many messages to one topic, 100 to a request, and returns their ids once Pub/Sub stored them all.
     * Plain unary calls with a deadline each, not the client library's {@code Publisher}: its ordered batches
     * once waited over a minute in CI with no error. A request that fails or times out is sent again (its
     * messages may then be stored twice, which only adds duplicates) until {@link #PUBLISH_DEADLINE} passes.
     */
    public List<String> publishAll(String topic, List<PubsubMessage> messages) throws Exception {
        List<String> ids = new ArrayList<>();
        Instant end = Instant.now().plus(PUBLISH_DEADLINE);
        for (int from = 0; from < messages.size(); from += 100) {
            PublishRequest request = PublishRequest.newBuilder().setTopic(TopicName.format(projectId, topic))
                    .addAllMessages(messages.subList(from, Math.min(from + 100, messages.size()))).build();
            for (int attempt = 1; ; attempt++) {
                try {
                    ids.addAll(publisher.publishCallable().call(request,
                            GrpcCallContext.createDefault().withTimeoutDuration(Duration.ofSeconds(10))).getMessageIdsList());
                    break;
                } catch (ApiException e) {
                    if (!e.isRetryable() && !(e instanceof DeadlineExceededException) || Instant.now().isAfter(end)) {
                        throw new IllegalStateException("publishing " + request.getMessagesCount() + " messages to "
                                + topic + " failed after " + attempt + " attempt(s)", e);
                    }
                    pauseBriefly();
                }
            }
        }
        return ids;
    }

    /** Every subscription of the project, with the topic it is on. */
    public Map<String, String> subscriptions() throws Exception {
        try (SubscriptionAdminClient subscriptions = SubscriptionAdminClient.create(SubscriptionAdminSettings.newBuilder()
                .setTransportChannelProvider(transport).setCredentialsProvider(NoCredentialsProvider.create()).build())) {
            Map<String, String> all = new java.util.TreeMap<>();
            subscriptions.listSubscriptions("projects/" + projectId).iterateAll().forEach(s -> all.put(
                    SubscriptionName.parse(s.getName()).getSubscription(), TopicName.parse(s.getTopic()).getTopic()));
            return all;
        }
    }

    /**
     * Every subscription of the project with what provisioning decides about it, in one comparable line: its topic,
     * ack deadline, retention, message ordering and dead-letter policy.
     */
    public Map<String, String> subscriptionSettings() throws Exception {
        try (SubscriptionAdminClient subscriptions = SubscriptionAdminClient.create(SubscriptionAdminSettings.newBuilder()
                .setTransportChannelProvider(transport).setCredentialsProvider(NoCredentialsProvider.create()).build())) {
            Map<String, String> all = new java.util.TreeMap<>();
            subscriptions.listSubscriptions("projects/" + projectId).iterateAll().forEach(s -> all.put(
                    SubscriptionName.parse(s.getName()).getSubscription(),
                    "topic=" + TopicName.parse(s.getTopic()).getTopic() + " ack-deadline=" + s.getAckDeadlineSeconds()
                            + "s retention=" + s.getMessageRetentionDuration().getSeconds() + "s ordering="
                            + s.getEnableMessageOrdering() + (s.hasDeadLetterPolicy()
                            ? " dead-letter=" + TopicName.parse(s.getDeadLetterPolicy().getDeadLetterTopic()).getTopic()
                            + " after " + s.getDeadLetterPolicy().getMaxDeliveryAttempts() : " no dead-letter policy")));
            return all;
        }
    }

    /** Every topic of the project. */
    public java.util.SortedSet<String> topics() throws Exception {
        try (TopicAdminClient topics = TopicAdminClient.create(TopicAdminSettings.newBuilder()
                .setTransportChannelProvider(transport).setCredentialsProvider(NoCredentialsProvider.create()).build())) {
            java.util.SortedSet<String> all = new java.util.TreeSet<>();
            topics.listTopics("projects/" + projectId).iterateAll().forEach(t -> all.add(TopicName.parse(t.getName()).getTopic()));
            return all;
        }
    }

    public String publish(String topic, String data, Map<String, String> attributes) throws Exception {
        return publish(topic, PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8(data)).putAllAttributes(attributes).build());
    }

    /** Pulls and acks until {@code count} messages matching {@code filter} arrived, or the deadline passes. */
    public List<PubsubMessage> pull(String subscription, int count, Duration deadline, Predicate<PubsubMessage> filter) {
        List<PubsubMessage> received = new ArrayList<>();
        Instant end = Instant.now().plus(deadline);
        String path = SubscriptionName.format(projectId, subscription);
        while (received.size() < count && Instant.now().isBefore(end)) {
            List<ReceivedMessage> batch;
            try {
                batch = subscriber.pullCallable().call(PullRequest.newBuilder()
                        .setSubscription(path).setMaxMessages(100).setReturnImmediately(true).build()).getReceivedMessagesList();
            } catch (NotFoundException | UnavailableException e) {
                batch = List.of(); // the subscription or the emulator is not back yet
            }
            if (batch.isEmpty()) {
                pauseBriefly();
                continue;
            }
            subscriber.acknowledgeCallable().call(AcknowledgeRequest.newBuilder().setSubscription(path)
                    .addAllAckIds(batch.stream().map(ReceivedMessage::getAckId).toList()).build());
            batch.stream().map(ReceivedMessage::getMessage).filter(filter).forEach(received::add);
        }
        return received;
    }

    /** Pulls until a message of each ordering key arrived (a key may come more than once), or the deadline passes. */
    public Set<String> pullKeys(String subscription, Collection<String> keys, Duration deadline) {
        Set<String> seen = new HashSet<>();
        Instant end = Instant.now().plus(deadline);
        while (!seen.containsAll(keys) && Instant.now().isBefore(end)) {
            pull(subscription, 1, Duration.ofMillis(500), m -> keys.contains(m.getOrderingKey()))
                    .forEach(m -> seen.add(m.getOrderingKey()));
        }
        return seen;
    }

    public void createTopic(String topic) throws Exception {
        try (TopicAdminClient topics = TopicAdminClient.create(TopicAdminSettings.newBuilder()
                .setTransportChannelProvider(transport).setCredentialsProvider(NoCredentialsProvider.create()).build())) {
            topics.createTopic(TopicName.of(projectId, topic));
        }
    }

    public void createSubscription(String subscription, String topic) throws Exception {
        try (SubscriptionAdminClient subscriptions = SubscriptionAdminClient.create(SubscriptionAdminSettings.newBuilder()
                .setTransportChannelProvider(transport).setCredentialsProvider(NoCredentialsProvider.create()).build())) {
            subscriptions.createSubscription(Subscription.newBuilder()
                    .setName(SubscriptionName.format(projectId, subscription))
                    .setTopic(TopicName.format(projectId, topic))
                    .setEnableMessageOrdering(true).setAckDeadlineSeconds(10).build());
        }
    }

    public void deleteSubscription(String subscription) throws Exception {
        try (SubscriptionAdminClient subscriptions = SubscriptionAdminClient.create(SubscriptionAdminSettings.newBuilder()
                .setTransportChannelProvider(transport).setCredentialsProvider(NoCredentialsProvider.create()).build())) {
            subscriptions.deleteSubscription(SubscriptionName.format(projectId, subscription));
        }
    }

    private static void pauseBriefly() {
        try {
            Thread.sleep(20); // poll interval of a pull loop with a deadline, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws Exception {
        subscriber.close();
        publisher.close();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
