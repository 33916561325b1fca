package io.github.ordersaga.pubsub.inbound;

import com.google.api.core.ApiFuture;
import com.google.api.gax.grpc.GrpcCallContext;
import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.pubsub.v1.stub.SubscriberStub;
import com.google.cloud.spring.pubsub.support.SubscriberFactory;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.ModifyAckDeadlineRequest;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.ReceivedMessage;
import io.github.ordersaga.pubsub.outbound.PubSubPublishing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Receives the app's subscriptions with unary pull requests in a loop, one loop per subscription: polling while
 * messages come, waiting on the server once the subscription has been idle a while ({@link #pullLoop}). Not streaming
 * pull: the emulator (0.8.20) does not answer keep-alive pings, so an idle stream gets cancelled, and it keeps feeding
 * a cancelled stream or pull, whose messages then stall for a whole ack deadline. So a waiting pull is never given a
 * client deadline: it ends when a message comes, when the server ends it (Google Cloud does), or when the app stops.
 * The messages of one pull are handled in one transaction (one by one, each acked or nacked when done, when that
 * fails). What becomes of a failed one is {@link Deliveries}'.
 */
public class PubSubInboundConsumer extends Receiver {

    private static final Logger log = LoggerFactory.getLogger(PubSubInboundConsumer.class);
    private static final Duration MAX_ERROR_WAIT = Duration.ofSeconds(2);
    /** No client deadline (see the class comment): a day stands for none. */
    private static final Duration NO_DEADLINE = Duration.ofDays(1);
    private static final GrpcCallContext NO_CLIENT_DEADLINE = GrpcCallContext.createDefault()
            .withTimeoutDuration(NO_DEADLINE)
            .withRetrySettings(RetrySettings.newBuilder().setTotalTimeoutDuration(NO_DEADLINE)
                    .setInitialRpcTimeoutDuration(NO_DEADLINE).setMaxRpcTimeoutDuration(NO_DEADLINE).setMaxAttempts(1).build());

    private final SubscriberFactory subscribers;
    private final Map<String, String> subscriptionToTopic;
    private final Deliveries deliveries;
    private final Settings settings;
    private final Runnable onMissingSubscription;
    private final List<Thread> loops = new ArrayList<>();
    private final List<SubscriberStub> stubs = new ArrayList<>();
    private final Set<ApiFuture<PullResponse>> pendingPulls = ConcurrentHashMap.newKeySet();
    private final Map<String, Duration> errorWaits = new ConcurrentHashMap<>();
    private ScheduledExecutorService leases;

    /**
     * How the loops pull.
     *
     * @param pollInterval  per subscription: while messages come, the time from one pull to the next (unless a pull
     *                      brought a full batch)
     * @param waitAfterIdle without a message for this long, a loop stops polling and waits on the server
     * @param ackDeadline   the subscriptions' ack deadline: the messages of a batch still being handled get another
     *                      one every half of it, so a slow batch is not delivered again meanwhile
     */
    public record Settings(int pullers, int maxMessages, Function<String, Duration> pollInterval, Duration waitAfterIdle,
                           Duration ackDeadline) {
    }

    public PubSubInboundConsumer(SubscriberFactory subscribers, Map<String, String> subscriptionToTopic,
                                 Deliveries deliveries, Settings settings, Runnable onMissingSubscription) {
        this.subscribers = subscribers;
        this.subscriptionToTopic = Map.copyOf(subscriptionToTopic);
        this.deliveries = deliveries;
        this.settings = settings;
        this.onMissingSubscription = onMissingSubscription;
    }

    @Override
    public synchronized void start() {
        running = true;
        leases = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "pubsub-ack-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        for (String subscription : subscriptionToTopic.keySet()) {
            SubscriberStub stub = subscribers.createSubscriberStub(subscription);
            stubs.add(stub);
            deliveries.stats(subscription);
            for (int i = 0; i < settings.pullers(); i++) {
                Thread loop = new Thread(() -> pullLoop(subscription, stub), "pubsub-pull-" + subscription + "-" + i);
                loop.setDaemon(true);
                loop.start();
                loops.add(loop);
            }
        }
        log.info("Receiving {} with {} pull loop(s) each, waiting on the server after {} idle",
                subscriptionToTopic.keySet(), settings.pullers(), settings.waitAfterIdle());
    }

    @Override
    public synchronized void stop() {
        stopRunning();
        pendingPulls.forEach(pull -> pull.cancel(true));
        for (Thread loop : loops) {
            try {
                loop.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        leases.shutdownNow();
        stubs.forEach(SubscriberStub::shutdownNow);
        loops.clear();
        stubs.clear();
    }

    /**
     * While messages come, takes what is waiting with pulls that return at once, one every {@code pollInterval} (at
     * once after a full batch: more are likely waiting). Not sooner after a message: at a few messages a second per
     * subscription, pulls right after one (this loop's 2, 4, 8... ms back-off before) came back empty, nearly five
     * pulls per message, each a round trip the emulator and the app pay for (docs/performance.md). After
     * {@code waitAfterIdle} without a message, stops polling: a pull then waits on the server for one message, and the
     * loop takes whatever else is waiting with it. An idle service so costs nothing, and still reacts within the
     * emulator's 50 ms scan of waiting pulls. The waiting pull asks for one message only, and only an idle loop has
     * one: when the app stops, the emulator keeps a cancelled pull registered and gives it the next message, which
     * comes back after its ack deadline. So a stop costs at most one late message per subscription, and only when that
     * subscription had been idle.
     */
    private void pullLoop(String subscription, SubscriberStub stub) {
        String path = subscribers.createPullRequest(subscription, 1, true).getSubscription();
        PullRequest waitForOne = PullRequest.newBuilder().setSubscription(path).setMaxMessages(1).build();
        @SuppressWarnings("deprecation") // deprecated for Google Cloud's sake, where it may return none while some wait
        PullRequest takeWaiting = PullRequest.newBuilder().setSubscription(path).setMaxMessages(settings.maxMessages())
                .setReturnImmediately(true).build();
        SubscriptionStats counters = deliveries.stats(subscription);
        long interval = settings.pollInterval().apply(subscription).toNanos();
        long lastMessage = System.nanoTime(); // a start counts as activity: stay prompt while the app warms up
        long nextPoll = lastMessage;
        while (running) {
            List<ReceivedMessage> batch;
            if (System.nanoTime() - lastMessage > settings.waitAfterIdle().toNanos()) {
                batch = pull(subscription, stub, waitForOne, NO_CLIENT_DEADLINE);
                if (batch.isEmpty()) {
                    continue; // the server ended the wait (Google Cloud does after a while), or the pull failed
                }
                batch = new ArrayList<>(batch);
                batch.addAll(pull(subscription, stub, takeWaiting, null));
            } else {
                long wait = nextPoll - System.nanoTime();
                if (wait > 0 && !pause(Duration.ofNanos(wait))) {
                    break;
                }
                nextPoll = System.nanoTime() + interval;
                batch = pull(subscription, stub, takeWaiting, null);
                if (batch.isEmpty()) {
                    continue;
                }
                if (batch.size() >= settings.maxMessages()) {
                    nextPoll = System.nanoTime();
                }
            }
            lastMessage = System.nanoTime();
            batch.forEach(received -> counters.received(received.getDeliveryAttempt()));
            handleBatch(subscription, path, stub, batch);
        }
    }

    /**
     * The messages one pull brought; none when it failed (after a pause that grows while pulls keep failing).
     *
     * @param context {@link #NO_CLIENT_DEADLINE} for a pull that waits on the server; null: the client's defaults
     */
    private List<ReceivedMessage> pull(String subscription, SubscriberStub stub, PullRequest request, GrpcCallContext context) {
        deliveries.stats(subscription).pulls.increment();
        ApiFuture<PullResponse> pull = stub.pullCallable().futureCall(request, context);
        pendingPulls.add(pull);
        try {
            List<ReceivedMessage> received = pull.get().getReceivedMessagesList();
            errorWaits.remove(subscription);
            deliveries.pullSucceeded(subscription);
            return received;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } catch (ExecutionException | CancellationException e) {
            if (running) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                deliveries.pullFailed(subscription, cause);
                Duration wait = errorWaits.merge(subscription, Duration.ofMillis(100),
                        (last, first) -> min(last.multipliedBy(2), MAX_ERROR_WAIT));
                log.warn("Pull from {} failed, retrying in {} ms: {}", subscription, wait.toMillis(), cause.toString());
                if (PubSubPublishing.isMissingResource(cause)) {
                    onMissingSubscription.run(); // e.g. a restarted emulator: provision again
                }
                pause(wait);
            }
        } finally {
            pendingPulls.remove(pull);
        }
        return List.of();
    }

    private void handleBatch(String subscription, String path, SubscriberStub stub, List<ReceivedMessage> batch) {
        Duration extension = settings.ackDeadline();
        List<String> leased = new CopyOnWriteArrayList<>(batch.stream().map(ReceivedMessage::getAckId).toList());
        ScheduledFuture<?> lease = leases.scheduleAtFixedRate(() -> extend(subscription, path, stub, leased, extension),
                extension.toMillis() / 2, extension.toMillis() / 2, TimeUnit.MILLISECONDS);
        try {
            if (batch.size() > 1 && deliveries.deliverTogether(subscription, batch.stream().map(ReceivedMessage::getMessage).toList())) {
                acknowledge(subscription, path, stub, List.copyOf(leased), List.of());
                return;
            }
            // One by one, each acked or nacked as soon as it is done, so none waits for (or is redelivered behind) the rest.
            Set<String> blockedKeys = new HashSet<>();
            for (ReceivedMessage received : batch) {
                String key = received.getMessage().getOrderingKey();
                boolean blocked = !key.isEmpty() && blockedKeys.contains(key); // a key's order stays behind its failed message
                boolean done = running && !blocked // stopping: the rest go back
                        && deliveries.deliver(subscription, received.getMessage(), received.getDeliveryAttempt(), this::pause);
                if (!done && !key.isEmpty()) {
                    blockedKeys.add(key);
                }
                leased.remove(received.getAckId());
                acknowledge(subscription, path, stub, done ? List.of(received.getAckId()) : List.of(),
                        done ? List.of() : List.of(received.getAckId()));
            }
        } finally {
            lease.cancel(false);
        }
    }

    private void extend(String subscription, String path, SubscriberStub stub, List<String> ackIds, Duration deadline) {
        if (ackIds.isEmpty()) {
            return;
        }
        try {
            stub.modifyAckDeadlineCallable().call(ModifyAckDeadlineRequest.newBuilder().setSubscription(path)
                    .addAllAckIds(List.copyOf(ackIds)).setAckDeadlineSeconds((int) deadline.toSeconds()).build());
        } catch (RuntimeException e) {
            log.warn("Extending the ack deadline of {} message(s) on {} failed: {}", ackIds.size(), subscription, e.toString());
        }
    }

    private void acknowledge(String subscription, String path, SubscriberStub stub, List<String> acks, List<String> nacks) {
        try {
            SubscriptionStats counters = deliveries.stats(subscription);
            if (!acks.isEmpty()) {
                stub.acknowledgeCallable().call(AcknowledgeRequest.newBuilder()
                        .setSubscription(path).addAllAckIds(acks).build());
                counters.acked.increment(acks.size());
            }
            if (!nacks.isEmpty()) {
                stub.modifyAckDeadlineCallable().call(ModifyAckDeadlineRequest.newBuilder()
                        .setSubscription(path).addAllAckIds(nacks).setAckDeadlineSeconds(0).build());
                counters.nacked.increment(nacks.size());
            }
        } catch (RuntimeException e) {
            // Handled messages come back when their deadline expires; the inbox makes them no-ops then.
            log.warn("Acknowledging {} message(s) on {} failed: {}", acks.size() + nacks.size(), subscription, e.toString());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
