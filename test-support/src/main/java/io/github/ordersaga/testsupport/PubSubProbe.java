package io.github.ordersaga.testsupport;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.UnavailableException;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.cloud.pubsub.v1.stub.GrpcSubscriberStub;
import com.google.cloud.pubsub.v1.stub.SubscriberStub;
import com.google.cloud.pubsub.v1.stub.SubscriberStubSettings;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.AcknowledgeRequest;
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
    private final SubscriberStub subscriber;

    public PubSubProbe(String emulatorHost, String projectId) throws Exception {
        this.projectId = projectId;
        this.channel = ManagedChannelBuilder.forTarget(emulatorHost).usePlaintext().build();
        this.transport = FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
        this.subscriber = GrpcSubscriberStub.create(SubscriberStubSettings.newBuilder()
                .setTransportChannelProvider(transport).setCredentialsProvider(NoCredentialsProvider.create()).build());
    }

    public String publish(String topic, PubsubMessage message) throws Exception {
        Publisher publisher = Publisher.newBuilder(TopicName.of(projectId, topic))
                .setChannelProvider(transport).setCredentialsProvider(NoCredentialsProvider.create())
                .setEnableMessageOrdering(true).build();
        try {
            return publisher.publish(message).get(10, TimeUnit.SECONDS);
        } finally {
            publisher.shutdown();
            publisher.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Publishes many messages to one topic with one publisher; returns once Pub/Sub stored them all. */
    public void publishAll(String topic, List<PubsubMessage> messages) throws Exception {
        Publisher publisher = Publisher.newBuilder(TopicName.of(projectId, topic))
                .setChannelProvider(transport).setCredentialsProvider(NoCredentialsProvider.create())
                .setEnableMessageOrdering(true).build();
        try {
            List<com.google.api.core.ApiFuture<String>> ids = new ArrayList<>();
            messages.forEach(m -> ids.add(publisher.publish(m)));
            com.google.api.core.ApiFutures.allAsList(ids).get(60, TimeUnit.SECONDS);
        } finally {
            publisher.shutdown();
            publisher.awaitTermination(5, TimeUnit.SECONDS);
        }
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
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
