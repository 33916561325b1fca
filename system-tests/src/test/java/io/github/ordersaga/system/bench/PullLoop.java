package io.github.ordersaga.system.bench;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.stub.GrpcSubscriberStub;
import com.google.cloud.pubsub.v1.stub.SubscriberStub;
import com.google.cloud.pubsub.v1.stub.SubscriberStubSettings;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.SubscriptionName;
import io.grpc.ManagedChannel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Receives a subscription the way the services do (unary pulls that return at once, in a few loops), and
 * hands each message to a consumer. Used for the benchmark's observers and for the raw relay chain.
 */
final class PullLoop implements AutoCloseable {

    private final SubscriberStub stub;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    PullLoop(ManagedChannel channel, String project, String subscription, int loops, Consumer<PubsubMessage> consumer)
            throws Exception {
        TransportChannelProvider transport = FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
        stub = GrpcSubscriberStub.create(SubscriberStubSettings.newBuilder().setTransportChannelProvider(transport)
                .setCredentialsProvider(NoCredentialsProvider.create()).build());
        String path = SubscriptionName.format(project, subscription);
        for (int i = 0; i < loops; i++) {
            Thread thread = new Thread(() -> loop(path, consumer), "pull-" + subscription + "-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    private void loop(String path, Consumer<PubsubMessage> consumer) {
        long idle = 1;
        while (running) {
            List<ReceivedMessage> batch;
            try {
                batch = stub.pullCallable().call(PullRequest.newBuilder().setSubscription(path)
                        .setMaxMessages(100).setReturnImmediately(true).build()).getReceivedMessagesList();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                batch = List.of();
            }
            if (batch.isEmpty()) {
                pause(idle);
                idle = Math.min(idle * 2, 20);
                continue;
            }
            idle = 1;
            batch.forEach(m -> consumer.accept(m.getMessage()));
            try {
                stub.acknowledgeCallable().call(AcknowledgeRequest.newBuilder().setSubscription(path)
                        .addAllAckIds(batch.stream().map(ReceivedMessage::getAckId).toList()).build());
            } catch (RuntimeException e) {
                // An overloaded emulator (ordered relay at 100/s) timed acks out and ended the loop: go on pulling;
                // unacknowledged messages come again, and the consumers count a message once.
                if (!running) {
                    return;
                }
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // the back-off of an idle pull loop, as in the services
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        for (Thread thread : threads) {
            thread.join(5000);
        }
        stub.close();
    }
}
