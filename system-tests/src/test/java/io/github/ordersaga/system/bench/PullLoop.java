package io.github.ordersaga.system.bench;

import com.google.api.core.ApiFuture;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcCallContext;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.stub.GrpcSubscriberStub;
import com.google.cloud.pubsub.v1.stub.SubscriberStub;
import com.google.cloud.pubsub.v1.stub.SubscriberStubSettings;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.SubscriptionName;
import io.grpc.ManagedChannel;

import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Receives a subscription with unary pulls that wait on the server for messages (as the services do once idle; busy,
 * they poll), in a few loops, and hands each message to a consumer. Used for the benchmark's observers and for the raw
 * relay chain: an observer that polled would add its own load to what the benchmark measures.
 */
final class PullLoop implements AutoCloseable {

    /** A waiting pull is ended by the server (or by {@link #close}), never by a client deadline (see the services' receiver). */
    private static final GrpcCallContext WAIT_FOR_MESSAGES = GrpcCallContext.createDefault().withTimeoutDuration(Duration.ofDays(1));

    private final SubscriberStub stub;
    private final List<Thread> threads = new ArrayList<>();
    private final List<ApiFuture<PullResponse>> pending = new CopyOnWriteArrayList<>();
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
        PullRequest request = PullRequest.newBuilder().setSubscription(path).setMaxMessages(100).build();
        while (running) {
            List<ReceivedMessage> batch;
            ApiFuture<PullResponse> pull = stub.pullCallable().futureCall(request, WAIT_FOR_MESSAGES);
            pending.add(pull);
            try {
                batch = pull.get().getReceivedMessagesList();
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                pause(100);
                continue;
            } finally {
                pending.remove(pull);
            }
            if (batch.isEmpty()) {
                continue;
            }
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
            Thread.sleep(millis); // after a failed pull
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        pending.forEach(pull -> pull.cancel(true));
        for (Thread thread : threads) {
            thread.join(5000);
        }
        stub.close();
    }
}
