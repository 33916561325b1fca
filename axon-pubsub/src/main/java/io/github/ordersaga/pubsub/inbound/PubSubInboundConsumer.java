package io.github.ordersaga.pubsub.inbound;

import com.google.cloud.pubsub.v1.stub.SubscriberStub;
import com.google.cloud.spring.pubsub.support.SubscriberFactory;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.ModifyAckDeadlineRequest;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.ReceivedMessage;
import io.github.ordersaga.pubsub.message.PubSubMessageConverter.UnreadableMessageException;
import io.github.ordersaga.pubsub.outbound.PubSubPublishing;
import org.axonframework.commandhandling.NoHandlerForCommandException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Receives the app's subscriptions with unary pull requests in a loop, not streaming pull: the emulator
 * keeps feeding a cancelled stream (and an idle stream gets cancelled), so streamed messages stall for a
 * whole ack deadline; a pull that returns at once has nothing to cancel. The messages of one pull are handled
 * in one transaction (one by one when that fails), then acked; a failed one is nacked (redelivered), and after
 * {@code maxAttempts}, or at once when it can never be handled, forwarded to the dead-letter topic and acked.
 */
public class PubSubInboundConsumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PubSubInboundConsumer.class);
    private static final Duration MIN_IDLE_WAIT = Duration.ofMillis(2);
    private static final Duration MAX_ERROR_WAIT = Duration.ofSeconds(2);

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
    private final Object wakeUp = new Object();
    private volatile boolean running;

    /** How the loops pull. */
    public record Settings(int pullers, int maxMessages, boolean returnImmediately, Duration maxIdleWait, int maxAttempts) {
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
        log.info("Receiving {} with {} pull loop(s) each (return immediately: {})",
                subscriptionToTopic.keySet(), settings.pullers(), settings.returnImmediately());
    }

    @Override
    public synchronized void stop() {
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        if (!settings.returnImmediately()) {
            stubs.forEach(SubscriberStub::shutdownNow); // a waiting pull on Google Cloud is safe to cancel
        }
        for (Thread loop : loops) {
            try {
                loop.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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

    private void pullLoop(String subscription, SubscriberStub stub) {
        String path = subscribers.createPullRequest(subscription, 1, true).getSubscription();
        Duration idleWait = MIN_IDLE_WAIT;
        Duration errorWait = Duration.ofMillis(100);
        while (running) {
            List<ReceivedMessage> received;
            try {
                PullResponse response = stub.pullCallable().call(PullRequest.newBuilder()
                        .setSubscription(path)
                        .setMaxMessages(settings.maxMessages())
                        .setReturnImmediately(settings.returnImmediately())
                        .build());
                received = response.getReceivedMessagesList();
                errorWait = Duration.ofMillis(100);
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("Pull from {} failed, retrying in {} ms: {}", subscription, errorWait.toMillis(), e.toString());
                if (PubSubPublishing.isMissingResource(e)) {
                    onMissingSubscription.run(); // e.g. a restarted emulator: provision again
                }
                pause(errorWait);
                errorWait = min(errorWait.multipliedBy(2), MAX_ERROR_WAIT);
                continue;
            }
            if (received.isEmpty()) {
                pause(idleWait);
                idleWait = min(idleWait.multipliedBy(2), settings.maxIdleWait());
                continue;
            }
            idleWait = MIN_IDLE_WAIT;
            handleBatch(subscription, path, stub, received);
        }
    }

    private void handleBatch(String subscription, String path, SubscriberStub stub, List<ReceivedMessage> batch) {
        SubscriptionStats counters = stats.get(subscription);
        if (batch.size() > 1 && handledTogether(subscription, batch, counters)) {
            acknowledge(subscription, path, stub, batch.stream().map(ReceivedMessage::getAckId).toList(), List.of());
            return;
        }
        List<String> acks = new ArrayList<>();
        List<String> nacks = new ArrayList<>();
        Set<String> blockedKeys = new HashSet<>();
        for (ReceivedMessage received : batch) {
            String key = received.getMessage().getOrderingKey();
            if (!key.isEmpty() && blockedKeys.contains(key)) {
                nacks.add(received.getAckId()); // keep the order of a key behind its failed message
                continue;
            }
            if (handleOne(subscription, received, counters)) {
                acks.add(received.getAckId());
            } else {
                nacks.add(received.getAckId());
                if (!key.isEmpty()) {
                    blockedKeys.add(key);
                }
            }
        }
        acknowledge(subscription, path, stub, acks, nacks);
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

    /** @return true when the message may be acked (handled, duplicate, or dead-lettered) */
    private boolean handleOne(String subscription, ReceivedMessage received, SubscriptionStats counters) {
        String pubsubId = received.getMessage().getMessageId();
        int attempt = received.getDeliveryAttempt() > 0
                ? received.getDeliveryAttempt()
                : localAttempts.merge(subscription + "/" + pubsubId, 1, Integer::sum);
        try {
            InboundMessageHandler.Outcome outcome = handler.handle(received.getMessage(), subscription,
                    counters.conflicts::increment);
            localAttempts.remove(subscription + "/" + pubsubId);
            counters.record(outcome);
            return true;
        } catch (Exception failure) {
            boolean hopeless = isPermanent(failure);
            if (!hopeless && attempt < settings.maxAttempts()) {
                counters.failed.increment();
                log.warn("Message {} on {} failed (attempt {} of {}), will be redelivered: {}",
                        pubsubId, subscription, attempt, settings.maxAttempts(), failure.toString());
                return false;
            }
            return deadLetter(subscription, received, attempt, failure, counters);
        }
    }

    private boolean deadLetter(String subscription, ReceivedMessage received, int attempt, Exception failure,
                               SubscriptionStats counters) {
        try {
            deadLetters.forward(received.getMessage(), subscription, attempt, failure);
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

    private static boolean isPermanent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnreadableMessageException || t instanceof NoHandlerForCommandException
                    || t instanceof IllegalArgumentException) {
                return true;
            }
        }
        return false;
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
