package io.github.ordersaga.pubsub;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of the Axon to Pub/Sub bridge, under {@code axon.pubsub}. Message types are named by their
 * simple class name (for example {@code OrderCreated}), as in the {@code type} attribute on the wire.
 */
@ConfigurationProperties("axon.pubsub")
public class PubSubBridgeProperties {

    /** Topic that poison messages are forwarded to, with the reason as attributes. */
    private String deadLetterTopic = "dead-letter";

    /** Version written in the {@code schema_version} attribute of every published message. */
    private String schemaVersion = "1";

    /**
     * Make every event processor of the app retry a failed event instead of logging and skipping it (Axon's
     * default). An inbound message is acked once it is stored; a processor that skipped it would lose it.
     */
    private boolean retryFailedEvents = true;

    private final Outbound outbound = new Outbound();
    private final Inbound inbound = new Inbound();
    private final Commands commands = new Commands();
    private final Provisioning provisioning = new Provisioning();
    private final Republish republish = new Republish();

    /**
     * Publishing again what Pub/Sub may have lost: see {@code outbound.Republisher}. Off unless {@code window} is set,
     * which it is by default against the emulator (5 minutes): a restarted emulator comes back empty.
     */
    public static class Republish {
        /** How far back this app's published messages are kept to be published again; 0 turns it off. */
        private Duration window = Duration.ZERO;
        /** The most messages kept, whatever their age (about 1 KB each). */
        private int capacity = 20_000;
        /** How often to look whether Pub/Sub still has this instance's marker topic (its loss is the sign). */
        private Duration interval = Duration.ofSeconds(5);
        /** How long to wait after a loss before publishing again, for every app to make its subscriptions again. */
        private Duration delay = Duration.ofSeconds(10);

        public Duration getWindow() { return window; }
        public void setWindow(Duration window) { this.window = window; }
        public int getCapacity() { return capacity; }
        public void setCapacity(int capacity) { this.capacity = capacity; }
        public Duration getInterval() { return interval; }
        public void setInterval(Duration interval) { this.interval = interval; }
        public Duration getDelay() { return delay; }
        public void setDelay(Duration delay) { this.delay = delay; }
    }

    public static class Outbound {
        /** Publish this app's events at all. */
        private boolean enabled = true;
        /** Name of the streaming event processor that reads the event store and publishes (its token is the outbox position). */
        private String processorName = "pubsub-outbound";
        /** Event type to topic. Events of other types are not published. */
        private Map<String, String> topics = new LinkedHashMap<>();
        /** JSON property of the payload used as ordering key; when absent, the aggregate id is used. */
        private String orderingKeyProperty = "uuid";
        /** Events handled by the outbound processor per transaction. */
        private int batchSize = 100;
        /** Segments (and threads) of the outbound tracking processor: instances of the app split them. */
        private int segments = 2;
        /** How long to wait for Pub/Sub to store a message, retries included, before the outbox batch is retried. */
        private Duration publishTimeout = Duration.ofSeconds(10);
        /**
         * Hand each event to Pub/Sub as soon as its transaction commits; the processor then only confirms it (and
         * publishes what was not, or failed). Off: the processor alone publishes, a hop later.
         */
        private boolean publishAtCommit = true;
        /**
         * When an event finds the outbound processor idle, it waits this long before reading, so that the events of the
         * next moments share its batch, one commit of its token. 0 reads at once; keep 0 with publish-at-commit off,
         * where the processor's read is on every order's path.
         */
        private Duration linger = Duration.ofMillis(200);

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public String getProcessorName() { return processorName; }
        public void setProcessorName(String processorName) { this.processorName = processorName; }
        public Map<String, String> getTopics() { return topics; }
        public void setTopics(Map<String, String> topics) { this.topics = topics; }
        public String getOrderingKeyProperty() { return orderingKeyProperty; }
        public void setOrderingKeyProperty(String orderingKeyProperty) { this.orderingKeyProperty = orderingKeyProperty; }
        public int getBatchSize() { return batchSize; }
        public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
        public int getSegments() { return segments; }
        public void setSegments(int segments) { this.segments = segments; }
        public Duration getPublishTimeout() { return publishTimeout; }
        public void setPublishTimeout(Duration publishTimeout) { this.publishTimeout = publishTimeout; }
        public boolean isPublishAtCommit() { return publishAtCommit; }
        public void setPublishAtCommit(boolean publishAtCommit) { this.publishAtCommit = publishAtCommit; }
        public Duration getLinger() { return linger; }
        public void setLinger(Duration linger) { this.linger = linger; }
    }

    /** See {@link Inbound#getReceiver()}; a value other than these fails the start-up. */
    public enum Receiver { POLLING, STREAMING }

    public static class Inbound {
        /**
         * How messages are received: {@code polling} (the default), loops of unary pulls that wait on the server only
         * when idle, which the 0.8.20 emulator needs; {@code streaming}, the client library's streaming pull, nothing
         * polling at all, for Google Cloud and emulators from 0.8.32 (Cloud CLI 568).
         */
        private Receiver receiver = Receiver.POLLING;
        /** Subscription name to topic name. Each subscription feeds events to the app's handlers and sagas, and commands to its command bus. */
        private Map<String, String> subscriptions = new LinkedHashMap<>();
        /**
         * Concurrent pull loops per subscription. One: a loop handles what a pull brought in one transaction, so
         * under load its batches grow instead of more loops polling (the benchmark settled 9.8 orders/s at 20/s
         * offered with two, 14.1 with one).
         */
        private int pullers = 1;
        /** Most messages one pull returns. */
        private int maxMessages = 100;
        /**
         * While messages come, the time from one pull to the next (at once after a full batch). Each pull is a round
         * trip, empty or not: shorter makes each hop quicker and costs more CPU here and on the emulator.
         */
        private Duration pollInterval = Duration.ofMillis(50);
        /**
         * Subscription to its own poll interval, instead of {@link #pollInterval}: longer for a subscription no step of
         * an order waits for (a projection's, a compensation's, a page's), whose pulls then cost less and bring more.
         */
        private Map<String, Duration> pollIntervals = new LinkedHashMap<>();
        /**
         * After this long without a message, a subscription's loop stops polling and its next pull waits on the server
         * for a message: no cost while idle. Not shorter: when the app stops, the emulator gives the next message to
         * the cancelled waiting pull, and it comes back only after its ack deadline (see PubSubInboundConsumer).
         */
        private Duration waitAfterIdle = Duration.ofSeconds(30);
        /** Failed attempts after which a message goes to the dead-letter topic. */
        private int maxAttempts = 5;
        /**
         * Dead-letter at once a record payload with a field missing, null or blank: Jackson would read any JSON
         * object as one, with nulls for what is absent, and its handlers could never process it.
         */
        private boolean requireAllFields = true;
        /** Dead-letter at once a record payload with a negative number: no quantity, price or total is below zero. */
        private boolean rejectNegativeNumbers = true;
        /**
         * How long an inbox entry (a handled message's id) is kept: as long as Pub/Sub may deliver the message again,
         * which is at most a subscription's retention (7 days at most), plus a margin.
         */
        private Duration inboxRetention = Duration.ofDays(8);
        /** How often older entries are deleted, in batches of {@code inbox-prune-batch-size}. */
        private Duration inboxPruneInterval = Duration.ofHours(1);
        private int inboxPruneBatchSize = 1000;

        public Receiver getReceiver() { return receiver; }
        public void setReceiver(Receiver receiver) { this.receiver = receiver; }
        public Map<String, String> getSubscriptions() { return subscriptions; }
        public void setSubscriptions(Map<String, String> subscriptions) { this.subscriptions = subscriptions; }
        public int getPullers() { return pullers; }
        public void setPullers(int pullers) { this.pullers = pullers; }
        public int getMaxMessages() { return maxMessages; }
        public void setMaxMessages(int maxMessages) { this.maxMessages = maxMessages; }
        public Duration getPollInterval() { return pollInterval; }
        public void setPollInterval(Duration pollInterval) { this.pollInterval = pollInterval; }
        public Map<String, Duration> getPollIntervals() { return pollIntervals; }
        public void setPollIntervals(Map<String, Duration> pollIntervals) { this.pollIntervals = pollIntervals; }

        /** The poll interval of one subscription. */
        public Duration pollIntervalOf(String subscription) {
            return pollIntervals.getOrDefault(subscription, pollInterval);
        }
        public Duration getWaitAfterIdle() { return waitAfterIdle; }
        public void setWaitAfterIdle(Duration waitAfterIdle) { this.waitAfterIdle = waitAfterIdle; }
        public int getMaxAttempts() { return maxAttempts; }
        public void setMaxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; }
        public boolean isRequireAllFields() { return requireAllFields; }
        public void setRequireAllFields(boolean requireAllFields) { this.requireAllFields = requireAllFields; }
        public boolean isRejectNegativeNumbers() { return rejectNegativeNumbers; }
        public void setRejectNegativeNumbers(boolean rejectNegativeNumbers) { this.rejectNegativeNumbers = rejectNegativeNumbers; }
        public Duration getInboxRetention() { return inboxRetention; }
        public void setInboxRetention(Duration inboxRetention) { this.inboxRetention = inboxRetention; }
        public Duration getInboxPruneInterval() { return inboxPruneInterval; }
        public void setInboxPruneInterval(Duration inboxPruneInterval) { this.inboxPruneInterval = inboxPruneInterval; }
        public int getInboxPruneBatchSize() { return inboxPruneBatchSize; }
        public void setInboxPruneBatchSize(int inboxPruneBatchSize) { this.inboxPruneBatchSize = inboxPruneBatchSize; }
    }

    public static class Commands {
        /** Command type to topic: the app's CommandGateway sends these to another context over Pub/Sub. */
        private Map<String, String> routes = new LinkedHashMap<>();
        /**
         * How long sending a command waits for Pub/Sub to store it. The sender's thread waits (a gateway request, a
         * saga step); past this the send fails and the publish is cancelled.
         */
        private Duration sendTimeout = Duration.ofSeconds(10);
        /**
         * Whether a send waits for Pub/Sub to store the command (up to the send timeout) and fails when it does not.
         * Turn off only for a sender that sends again until the command's effect is confirmed (the janitor's saga):
         * then a send returns at once and a failed publish is logged.
         */
        private boolean waitForPubsub = true;

        public Map<String, String> getRoutes() { return routes; }
        public void setRoutes(Map<String, String> routes) { this.routes = routes; }
        public Duration getSendTimeout() { return sendTimeout; }
        public void setSendTimeout(Duration sendTimeout) { this.sendTimeout = sendTimeout; }
        public boolean isWaitForPubsub() { return waitForPubsub; }
        public void setWaitForPubsub(boolean waitForPubsub) { this.waitForPubsub = waitForPubsub; }
    }

    public static class Provisioning {
        /** Create missing topics and subscriptions at start-up. Turn off where infrastructure-as-code owns them. */
        private boolean enabled = true;
        /** Ack deadline of the subscriptions created. */
        private int ackDeadlineSeconds = 10;
        /**
         * Delivery attempts after which Pub/Sub itself dead-letters a message: a backstop above
         * {@code inbound.max-attempts}, for a message that keeps crashing the consumer before it can forward it.
         */
        private int deadLetterMaxDeliveryAttempts = 10;
        /**
         * Create subscriptions with message ordering. Off by default: the consumers here do not depend on the
         * order within a subscription (each carries about one message per order and kind, and the saga accepts
         * any order), and the emulator keeps a queue per ordering key forever and scans all of them on every
         * pull, so an ordered subscription keyed by order id gets slower with every order (docs/performance.md, lab notes).
         * Publishers set the ordering key either way.
         */
        private boolean messageOrdering = false;
        /** Extra subscription to topic pairs to create (for people and tools, e.g. payment-created-sub). */
        private Map<String, String> subscriptions = new LinkedHashMap<>();

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public int getAckDeadlineSeconds() { return ackDeadlineSeconds; }
        public void setAckDeadlineSeconds(int ackDeadlineSeconds) { this.ackDeadlineSeconds = ackDeadlineSeconds; }
        public int getDeadLetterMaxDeliveryAttempts() { return deadLetterMaxDeliveryAttempts; }
        public void setDeadLetterMaxDeliveryAttempts(int n) { this.deadLetterMaxDeliveryAttempts = n; }
        public boolean isMessageOrdering() { return messageOrdering; }
        public void setMessageOrdering(boolean messageOrdering) { this.messageOrdering = messageOrdering; }
        public Map<String, String> getSubscriptions() { return subscriptions; }
        public void setSubscriptions(Map<String, String> subscriptions) { this.subscriptions = subscriptions; }
    }

    public boolean isRetryFailedEvents() { return retryFailedEvents; }
    public void setRetryFailedEvents(boolean retryFailedEvents) { this.retryFailedEvents = retryFailedEvents; }
    public String getDeadLetterTopic() { return deadLetterTopic; }
    public void setDeadLetterTopic(String deadLetterTopic) { this.deadLetterTopic = deadLetterTopic; }
    public String getSchemaVersion() { return schemaVersion; }
    public void setSchemaVersion(String schemaVersion) { this.schemaVersion = schemaVersion; }
    public Outbound getOutbound() { return outbound; }
    public Inbound getInbound() { return inbound; }
    public Commands getCommands() { return commands; }
    public Provisioning getProvisioning() { return provisioning; }
    public Republish getRepublish() { return republish; }
}
