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
import org.springframework.context.SmartLifecycle;

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
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives the app's subscriptions with unary pull requests in a loop, one loop per subscription: polling while
 * messages come, waiting on the server once the subscription has been idle a while ({@link #pullLoop}). Not streaming
 * pull: the emulator (0.8.20) does not answer keep-alive pings, so an idle stream gets cancelled, and it keeps feeding
 * a cancelled stream or pull, whose messages then stall for a whole ack deadline. So a waiting pull is never given a
 * client deadline: it ends when a message comes, when the server ends it (Google Cloud does), or when the app stops.
 * The messages of one pull are handled in one transaction (one by one, each acked or nacked when done, when that
 * fails). What becomes of a failed one depends on its {@link FailureKind}: one that met an infrastructure failure is
 * held and retried for as long as the failure lasts; one that can never be handled is forwarded to the dead-letter
 * topic at once, recorded, and acked; any other is nacked (redelivered), and dead-lettered after {@code maxAttempts}.
 */
public class PubSubInboundConsumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PubSubInboundConsumer.class);
    private static final Duration MIN_IDLE_WAIT = Duration.ofMillis(2);
    private static final Duration MAX_ERROR_WAIT = Duration.ofSeconds(2);
    private static final Duration FIRST_OUTAGE_WAIT = Duration.ofMillis(100);
    private static final Duration MAX_OUTAGE_WAIT = Duration.ofSeconds(5);
    private static final Duration OUTAGE_LOG_INTERVAL = Duration.ofSeconds(30);
    /** No client deadline (see the class comment): a day stands for none. */
    private static final Duration NO_DEADLINE = Duration.ofDays(1);
    private static final GrpcCallContext NO_CLIENT_DEADLINE = GrpcCallContext.createDefault()
            .withTimeoutDuration(NO_DEADLINE)
            .withRetrySettings(RetrySettings.newBuilder().setTotalTimeoutDuration(NO_DEADLINE)
                    .setInitialRpcTimeoutDuration(NO_DEADLINE).setMaxRpcTimeoutDuration(NO_DEADLINE).setMaxAttempts(1).build());

    private final SubscriberFactory subscribers;
    private final Map<String, String> subscriptionToTopic;
    private final InboundMessageHandler handler;
    private final DeadLetters deadLetters;
    private final Settings settings;
    private final Runnable onMissingSubscription;
    private final Map<String, Integer> localAttempts = new ConcurrentHashMap<>();
    private final Map<String, SubscriptionStats> stats = new ConcurrentHashMap<>();
    private final List<Thread> loops = new ArrayList<>();
    private final List<SubscriberStub> stubs = new ArrayList<>();
    private final Set<ApiFuture<PullResponse>> pendingPulls = ConcurrentHashMap.newKeySet();
    private final Map<String, Duration> errorWaits = new ConcurrentHashMap<>();
    private final Map<String, Outage> outages = new ConcurrentHashMap<>();
    private ScheduledExecutorService leases;
    private final Object wakeUp = new Object();
    private volatile boolean running;

    /**
     * How the loops pull.
     *
     * @param maxIdleWait   the longest pause between two empty pulls while messages come
     * @param waitAfterIdle without a message for this long, a loop stops polling and waits on the server
     * @param ackDeadline   the subscriptions' ack deadline: the messages of a batch still being handled get another
     *                      one every half of it, so a slow batch is not delivered again meanwhile
     */
    public record Settings(int pullers, int maxMessages, Duration maxIdleWait, Duration waitAfterIdle, int maxAttempts,
                           Duration ackDeadline) {
    }

    public PubSubInboundConsumer(SubscriberFactory subscribers, Map<String, String> subscriptionToTopic,
                                 InboundMessageHandler handler, DeadLetters deadLetters, Settings settings,
                                 Runnable onMissingSubscription) {
        this.subscribers = subscribers;
        this.subscriptionToTopic = Map.copyOf(subscriptionToTopic);
        this.handler = handler;
        this.deadLetters = deadLetters;
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
            stats.put(subscription, new SubscriptionStats());
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
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
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

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Start after the rest of the app (Axon's processors included), stop before it.
        return Integer.MAX_VALUE - 100;
    }

    /** Counters per subscription, for health and progress reports. */
    public Map<String, SubscriptionStats> stats() {
        return Map.copyOf(stats);
    }

    /**
     * While messages come, takes what is waiting with pulls that return at once, backing off up to
     * {@code maxIdleWait} between empty ones. After {@code waitAfterIdle} without a message, stops polling: a pull then
     * waits on the server for one message, and the loop takes whatever else is waiting with it. An idle service so
     * costs nothing, and still reacts within the emulator's 50 ms scan of waiting pulls. The waiting pull asks for one
     * message only, and only an idle loop has one: when the app stops, the emulator keeps a cancelled pull registered
     * and gives it the next message, which comes back after its ack deadline. So a stop costs at most one late message
     * per subscription, and only when that subscription had been idle.
     */
    private void pullLoop(String subscription, SubscriberStub stub) {
        String path = subscribers.createPullRequest(subscription, 1, true).getSubscription();
        PullRequest waitForOne = PullRequest.newBuilder().setSubscription(path).setMaxMessages(1).build();
        @SuppressWarnings("deprecation") // deprecated for Google Cloud's sake, where it may return none while some wait
        PullRequest takeWaiting = PullRequest.newBuilder().setSubscription(path).setMaxMessages(settings.maxMessages())
                .setReturnImmediately(true).build();
        long lastMessage = System.nanoTime(); // a start counts as activity: stay prompt while the app warms up
        Duration idleWait = MIN_IDLE_WAIT;
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
                batch = pull(subscription, stub, takeWaiting, null);
                if (batch.isEmpty()) {
                    pause(idleWait);
                    idleWait = min(idleWait.multipliedBy(2), settings.maxIdleWait());
                    continue;
                }
            }
            idleWait = MIN_IDLE_WAIT;
            lastMessage = System.nanoTime();
            handleBatch(subscription, path, stub, batch);
        }
    }

    /**
     * The messages one pull brought; none when it failed (after a pause that grows while pulls keep failing).
     *
     * @param context {@link #NO_CLIENT_DEADLINE} for a pull that waits on the server; null: the client's defaults
     */
    private List<ReceivedMessage> pull(String subscription, SubscriberStub stub, PullRequest request, GrpcCallContext context) {
        stats.get(subscription).pulls.increment();
        ApiFuture<PullResponse> pull = stub.pullCallable().futureCall(request, context);
        pendingPulls.add(pull);
        try {
            List<ReceivedMessage> received = pull.get().getReceivedMessagesList();
            errorWaits.remove(subscription);
            return received;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } catch (ExecutionException | CancellationException e) {
            if (running) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
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
            SubscriptionStats counters = stats.get(subscription);
            if (batch.size() > 1 && handledTogether(subscription, batch, counters)) {
                acknowledge(subscription, path, stub, List.copyOf(leased), List.of());
                return;
            }
            // One by one, each acked or nacked as soon as it is done, so none waits for (or is redelivered behind) the rest.
            Set<String> blockedKeys = new HashSet<>();
            for (ReceivedMessage received : batch) {
                String key = received.getMessage().getOrderingKey();
                boolean blocked = !key.isEmpty() && blockedKeys.contains(key); // a key's order stays behind its failed message
                boolean done = running && !blocked && handleOne(subscription, received, counters); // stopping: the rest go back
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

    /** One transaction for the whole pull; false (nothing committed) when any message failed in it. */
    private boolean handledTogether(String subscription, List<ReceivedMessage> batch, SubscriptionStats counters) {
        try {
            handler.handleAll(batch.stream().map(ReceivedMessage::getMessage).toList(), subscription)
                    .forEach(counters::record);
            batch.forEach(received -> localAttempts.remove(subscription + "/" + received.getMessage().getMessageId()));
            counters.batches.increment();
            return true;
        } catch (Exception failure) {
            counters.splitBatches.increment();
            log.info("{} messages on {} failed together, handling them one by one: {}",
                    batch.size(), subscription, failure.toString());
            return false;
        }
    }

    private void acknowledge(String subscription, String path, SubscriberStub stub, List<String> acks, List<String> nacks) {
        try {
            if (!acks.isEmpty()) {
                stub.acknowledgeCallable().call(AcknowledgeRequest.newBuilder()
                        .setSubscription(path).addAllAckIds(acks).build());
            }
            if (!nacks.isEmpty()) {
                stub.modifyAckDeadlineCallable().call(ModifyAckDeadlineRequest.newBuilder()
                        .setSubscription(path).addAllAckIds(nacks).setAckDeadlineSeconds(0).build());
            }
        } catch (RuntimeException e) {
            // Handled messages come back when their deadline expires; the inbox makes them no-ops then.
            log.warn("Acknowledging {} message(s) on {} failed: {}", acks.size() + nacks.size(), subscription, e.toString());
        }
    }

    /**
     * @return true when the message may be acked (handled, duplicate, or dead-lettered); false when it must be
     * delivered again
     */
    private boolean handleOne(String subscription, ReceivedMessage received, SubscriptionStats counters) {
        String pubsubId = received.getMessage().getMessageId();
        int attempt = received.getDeliveryAttempt() > 0
                ? received.getDeliveryAttempt()
                : localAttempts.merge(subscription + "/" + pubsubId, 1, Integer::sum);
        Duration outageWait = FIRST_OUTAGE_WAIT;
        while (true) {
            try {
                InboundMessageHandler.Outcome outcome = handler.handle(received.getMessage(), subscription,
                        counters.conflicts::increment);
                endOutage(subscription);
                localAttempts.remove(subscription + "/" + pubsubId);
                counters.record(outcome);
                return true;
            } catch (Exception failure) {
                FailureKind kind = FailureKind.of(failure);
                if (kind == FailureKind.INFRASTRUCTURE) {
                    // Valid, and what failed is not the message: hold it (its lease is extended meanwhile, so its
                    // delivery count stays) and try again until the store is back. This loop pulls nothing meanwhile.
                    if (!running) {
                        return false;
                    }
                    inOutage(subscription, pubsubId, failure);
                    pause(outageWait);
                    outageWait = min(outageWait.multipliedBy(2), MAX_OUTAGE_WAIT);
                    continue;
                }
                endOutage(subscription);
                return failed(subscription, received, attempt, kind, failure, counters);
            }
        }
    }

    private boolean failed(String subscription, ReceivedMessage received, int attempt, FailureKind kind, Exception failure,
                           SubscriptionStats counters) {
        String pubsubId = received.getMessage().getMessageId();
        if (deadLetteredBefore(subscription, received)) {
            // Dead-lettered already (by this or another instance), then delivered again: ack it, once is enough.
            localAttempts.remove(subscription + "/" + pubsubId);
            counters.duplicates.increment();
            return true;
        }
        if (kind == FailureKind.OTHER && attempt < settings.maxAttempts()) {
            counters.failed.increment();
            log.warn("Message {} on {} failed (attempt {} of {}), will be redelivered: {}",
                    pubsubId, subscription, attempt, settings.maxAttempts(), failure.toString());
            return false;
        }
        return deadLetter(subscription, received, attempt, failure, counters);
    }

    private void inOutage(String subscription, String pubsubId, Exception failure) {
        Outage outage = outages.computeIfAbsent(subscription, s -> new Outage(System.nanoTime(), failure.toString()));
        long now = System.nanoTime();
        if (outage.retries.getAndIncrement() == 0 || now - outage.lastLog.get() > OUTAGE_LOG_INTERVAL.toNanos()) {
            outage.lastLog.set(now);
            log.warn("Message {} on {} met an infrastructure failure; holding it and retrying (every {} s at most) "
                            + "until it succeeds, pulling nothing meanwhile (down for {} s so far): {}", pubsubId, subscription,
                    MAX_OUTAGE_WAIT.toSeconds(), Duration.ofNanos(now - outage.since).toSeconds(), failure.toString());
        }
    }

    private void endOutage(String subscription) {
        Outage outage = outages.remove(subscription);
        if (outage != null) {
            log.info("{} receives again: the infrastructure failure ended after {} ms and {} retries", subscription,
                    Duration.ofNanos(System.nanoTime() - outage.since).toMillis(), outage.retries.get());
        }
    }

    /**
     * The subscriptions whose loop holds a message because of an infrastructure failure, with the failure and since
     * when: what health reports as out of service.
     */
    public Map<String, String> outages() {
        Map<String, String> current = new java.util.TreeMap<>();
        outages.forEach((subscription, outage) -> current.put(subscription, "retrying for "
                + Duration.ofNanos(System.nanoTime() - outage.since).toSeconds() + " s: " + outage.failure));
        return current;
    }

    private static final class Outage {
        final long since;
        final String failure;
        final AtomicLong retries = new AtomicLong();
        final AtomicLong lastLog = new AtomicLong();

        Outage(long since, String failure) {
            this.since = since;
            this.failure = failure;
        }
    }

    private boolean deadLetter(String subscription, ReceivedMessage received, int attempt, Exception failure,
                               SubscriptionStats counters) {
        try {
            deadLetters.forward(received.getMessage(), subscription, attempt, failure);
            recordDeadLetter(subscription, received);
            localAttempts.remove(subscription + "/" + received.getMessage().getMessageId());
            counters.deadLettered.increment();
            log.error("Message {} on {} sent to the dead-letter topic after {} attempt(s): {}",
                    received.getMessage().getMessageId(), subscription, attempt, DeadLetters.reasonOf(failure));
            return true;
        } catch (Exception e) {
            log.warn("Dead-lettering message {} on {} failed; it will be redelivered: {}",
                    received.getMessage().getMessageId(), subscription, e.toString());
            return false;
        }
    }

    /** Once forwarded, the message is acked even if this fails: a redelivery would at worst be forwarded again. */
    private void recordDeadLetter(String subscription, ReceivedMessage received) {
        try {
            handler.recordDeadLetter(subscription, received.getMessage().getMessageId());
        } catch (RuntimeException e) {
            log.warn("Dead letter {} on {} not recorded in the inbox; a redelivery of it would be forwarded again: {}",
                    received.getMessage().getMessageId(), subscription, e.toString());
        }
    }

    private boolean deadLetteredBefore(String subscription, ReceivedMessage received) {
        try {
            return handler.wasDeadLettered(subscription, received.getMessage().getMessageId());
        } catch (Exception e) {
            return false; // the store is unreachable: go on as if not, at worst a second dead letter
        }
    }

    private void pause(Duration duration) {
        synchronized (wakeUp) {
            if (running) {
                try {
                    wakeUp.wait(Math.max(1, duration.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
