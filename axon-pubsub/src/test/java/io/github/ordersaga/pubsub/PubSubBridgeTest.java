package io.github.ordersaga.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.pubsub.inbound.InboundHealth;
import io.github.ordersaga.pubsub.inbound.InboundMessageHandler;
import io.github.ordersaga.pubsub.inbound.InboxPruner;
import io.github.ordersaga.pubsub.inbound.Deliveries;
import io.github.ordersaga.pubsub.message.Attributes;
import io.github.ordersaga.pubsub.outbound.PubSubPublishing;
import io.github.ordersaga.pubsub.outbound.RecentMessages;
import io.github.ordersaga.pubsub.testapp.BridgeTestApp;
import io.github.ordersaga.pubsub.testapp.BridgeTestApp.Handlers;
import io.github.ordersaga.pubsub.testapp.BridgeTestApp.MakeThing;
import io.github.ordersaga.pubsub.testapp.BridgeTestApp.Ping;
import io.github.ordersaga.pubsub.testapp.BridgeTestApp.RemoteNote;
import io.github.ordersaga.pubsub.testapp.BridgeTestApp.Thing;
import io.github.ordersaga.pubsub.testapp.BridgeTestApp.ThingMade;
import io.github.ordersaga.pubsub.testapp.BridgeTestApp.ThingNoted;
import io.github.ordersaga.testsupport.Emulators;
import io.github.ordersaga.testsupport.PubSubProbe;
import io.github.ordersaga.testsupport.WithEmulators;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The bridge against the real Pub/Sub emulator, with a small Axon app ({@link BridgeTestApp}) started and
 * stopped by the tests as a real Spring Boot application on an H2 database.
 */
@WithEmulators
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PubSubBridgeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PubSubProbe probe;
    private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

    @BeforeAll
    void connect(Emulators emulators) throws Exception {
        probe = new PubSubProbe(emulators.pubsubHost(), emulators.projectId());
    }

    @AfterEach
    void stopApps() {
        apps.forEach(ConfigurableApplicationContext::close);
        apps.clear();
    }

    @AfterAll
    void disconnect() throws Exception {
        probe.close();
    }

    @Test
    void aStoredEventArrivesOnItsTopicWithDataAttributesAndOrderingKey() throws Exception {
        ConfigurableApplicationContext app = start(newDatabase(), true);
        String id = UUID.randomUUID().toString();

        app.getBean(CommandGateway.class).sendAndWait(new MakeThing(id, "hello"));

        PubsubMessage message = probe.pull("bridge-out-check", 1, Duration.ofSeconds(10), about(id)).get(0);
        JsonNode data = JSON.readTree(message.getData().toStringUtf8());
        assertThat(data.get("uuid").asText()).isEqualTo(id);
        assertThat(data.get("text").asText()).isEqualTo("hello");
        assertThat(message.getOrderingKey()).isEqualTo(id);
        Map<String, String> attributes = message.getAttributesMap();
        assertThat(attributes).containsEntry(Attributes.TYPE, "ThingMade")
                .containsEntry(Attributes.KIND, "event")
                .containsEntry(Attributes.AGGREGATE_ID, id)
                .containsEntry(Attributes.SEQUENCE, "0")
                .containsEntry(Attributes.SCHEMA_VERSION, "1")
                .containsKeys(Attributes.MESSAGE_ID, Attributes.TIMESTAMP);
        assertThat(attributes.get(Attributes.TRACEPARENT)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        MeterRegistry meters = app.getBean(MeterRegistry.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> meters.get("pubsub.outbound.lag").tag("topic", "bridge-out").timer().count() == 1);
        assertThat(meters.get("pubsub.outbound.publish").tag("topic", "bridge-out").timer().count()).isEqualTo(1);
    }

    /**
     * The event goes out as its transaction commits, while the outbound processor still lingers (5 s); the processor
     * then only confirms the publish: the event is published once.
     */
    @Test
    void anEventIsPublishedAsItsTransactionCommitsAndTheProcessorOnlyConfirmsIt() throws Exception {
        ConfigurableApplicationContext app = start(newDatabase(), true, "axon.pubsub.outbound.linger=5s");
        TrackingEventProcessor outbound = waitUntilIdle(app);
        String id = UUID.randomUUID().toString();

        long start = System.nanoTime();
        app.getBean(CommandGateway.class).sendAndWait(new MakeThing(id, "at commit"));
        probe.pull("bridge-out-check", 1, Duration.ofSeconds(10), about(id));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3)); // the processor waits 5 s
        long head = app.getBean(EventStore.class).createHeadToken().position().orElseThrow();
        await().atMost(Duration.ofSeconds(20)).until(() -> outbound.processingStatus().values().stream()
                .allMatch(status -> status.getCurrentPosition().orElse(-1) >= head));
        assertThat(publishedCopies(app, id)).isEqualTo(1);
        assertThat(app.getBean(MeterRegistry.class).get("pubsub.outbound.publish").tag("topic", "bridge-out").timer().count())
                .isEqualTo(1);
    }

    /** Stored in a transaction that rolled back, an event never was: nothing of it may go out at commit. */
    @Test
    void anEventWhoseTransactionRollsBackIsNotPublished() throws Exception {
        ConfigurableApplicationContext app = start(newDatabase(), true);
        waitUntilIdle(app);
        String ghost = UUID.randomUUID().toString();
        String kept = UUID.randomUUID().toString();
        CommandGateway commands = app.getBean(CommandGateway.class);

        // The command's transaction takes part in the outer one, which rolls back after the command committed its part.
        TransactionTemplate outer = new TransactionTemplate(app.getBean(PlatformTransactionManager.class));
        outer.executeWithoutResult(status -> {
            commands.sendAndWait(new MakeThing(ghost, "rolled back"));
            status.setRollbackOnly();
        });
        commands.sendAndWait(new MakeThing(kept, "committed"));

        probe.pull("bridge-out-check", 1, Duration.ofSeconds(10), about(kept));
        assertThat(app.getBean(EventStore.class).readEvents(ghost).asStream()).isEmpty();
        assertThat(publishedCopies(app, kept)).isEqualTo(1);
        assertThat(publishedCopies(app, ghost)).isZero();
    }

    /** Off, the processor alone publishes, after its linger: the setting is honoured both ways. */
    @Test
    void withPublishAtCommitOffTheProcessorPublishesAfterItsLinger() throws Exception {
        ConfigurableApplicationContext app = start(newDatabase(), true,
                "axon.pubsub.outbound.publish-at-commit=false", "axon.pubsub.outbound.linger=2s");
        waitUntilIdle(app);
        String id = UUID.randomUUID().toString();

        long start = System.nanoTime();
        app.getBean(CommandGateway.class).sendAndWait(new MakeThing(id, "by the processor"));
        probe.pull("bridge-out-check", 1, Duration.ofSeconds(10), about(id));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(publishedCopies(app, id)).isEqualTo(1);
    }

    /**
     * Each hop is a span of its own: the {@code traceparent} going out names the publish span, not the incoming one,
     * and that span descends, through Axon's command and event spans, from the span that received the message, whose
     * parent is the incoming {@code traceparent}'s span. Published as its transaction committed, the event's publish
     * span is a child of the span that committed it, not of the outbound processor's.
     */
    @Test
    void aPublishedMessageCarriesItsPublishSpanWhichDescendsFromTheReceiveSpanOfTheIncomingOne() throws Exception {
        RecordedSpans spans = new RecordedSpans();
        ConfigurableApplicationContext app = start(newDatabase(), true,
                context -> context.getBeanFactory().registerSingleton("recordedSpans", spans),
                "management.tracing.sampling.probability=1.0", "management.tracing.opentelemetry.export.schedule-delay=50ms");
        waitUntilIdle(app); // its segments claimed: the event goes out at commit
        String id = UUID.randomUUID().toString();
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String incomingSpanId = traceId.substring(0, 16);

        probe.publish("bridge-in", "{\"uuid\":\"" + id + "\",\"text\":\"traced\"}", Map.of(Attributes.TYPE, "MakeThing",
                Attributes.KIND, "command", Attributes.TRACEPARENT, "00-" + traceId + "-" + incomingSpanId + "-01"));

        String[] traceparent = probe.pull("bridge-out-check", 1, Duration.ofSeconds(10), about(id)).get(0)
                .getAttributesOrThrow(Attributes.TRACEPARENT).split("-");
        assertThat(traceparent[1]).isEqualTo(traceId);
        assertThat(traceparent[2]).isNotEqualTo(incomingSpanId);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<SpanData> ancestry = spans.ancestry(traceparent[2]);
            // Between them Axon's spans of the command and of committing its events (how many is Axon's affair).
            assertThat(ancestry).extracting(SpanData::getName)
                    .startsWith("PubSub.publish bridge-out(ThingMade)")
                    .containsSubsequence("EventBus.commitEvents", "CommandBus.handleCommand(MakeThing)",
                            "CommandBus.dispatchCommand(MakeThing)")
                    .endsWith("PubSub.receive bridge-in-sub(MakeThing)")
                    .doesNotContain("StreamingEventProcessor.process(ThingMade)"); // not the outbound processor's
            assertThat(ancestry).extracting(SpanData::getTraceId).containsOnly(traceId);
            assertThat(ancestry.get(ancestry.size() - 1).getParentSpanId()).isEqualTo(incomingSpanId);
        });
    }

    /** The app's finished spans, as an exporter receives them. */
    static class RecordedSpans implements SpanExporter {
        private final Map<String, SpanData> byId = new ConcurrentHashMap<>();

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            spans.forEach(span -> byId.put(span.getSpanId(), span));
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }

        /** The span and its parents, as far as they were recorded here. */
        List<SpanData> ancestry(String spanId) {
            List<SpanData> chain = new ArrayList<>();
            for (SpanData span = byId.get(spanId); span != null; span = byId.get(span.getParentSpanId())) {
                chain.add(span);
            }
            return chain;
        }
    }

    /** A subscription Pub/Sub refuses (here: a name too short to be one) must not take the app's others down. */
    @Test
    void aSubscriptionThatCannotBeMadeIsNamedInHealthWhileTheOthersReceiveAndTheAppPublishes() throws Exception {
        ConfigurableApplicationContext app = start(newDatabase(), true, "axon.pubsub.inbound.subscriptions.x=bridge-in");
        Handlers effects = app.getBean(Handlers.class);
        String received = UUID.randomUUID().toString();
        String published = UUID.randomUUID().toString();

        probe.publish("bridge-in", "{\"uuid\":\"" + received + "\"}", Map.of(Attributes.TYPE, "Ping"));
        app.getBean(CommandGateway.class).sendAndWait(new MakeThing(published, "still publishing"));

        await().atMost(Duration.ofSeconds(10)).until(() -> effects.count("ping", received) == 1);
        assertThat(probe.pull("bridge-out-check", 1, Duration.ofSeconds(10), about(published))).hasSize(1);
        InboundHealth health = app.getBean(InboundHealth.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> health.health().getDetails().containsKey("failing"));
        assertThat(health.health().getStatus()).isEqualTo(org.springframework.boot.actuate.health.Status.OUT_OF_SERVICE);
        @SuppressWarnings("unchecked")
        Map<String, String> failing = (Map<String, String>) health.health().getDetails().get("failing");
        assertThat(failing).containsOnlyKeys("x");
    }

    /** Sent all at once, without waiting for one before the next, as the outbox sends a batch. */
    @Test
    void messagesOfOneOrderingKeyArriveInTheOrderTheyWerePublished() throws Exception {
        PubSubPublishing publishing = start(newDatabase(), true).getBean(PubSubPublishing.class);
        String run = UUID.randomUUID().toString();
        List<String> keys = List.of(run + "-a", run + "-b", run + "-c");
        List<CompletableFuture<String>> published = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            for (String key : keys) {
                published.add(publishing.publish("bridge-out", PubsubMessage.newBuilder()
                        .setData(ByteString.copyFromUtf8(run + " " + i)).setOrderingKey(key).build()));
            }
        }
        CompletableFuture.allOf(published.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        List<PubsubMessage> received = probe.pull("bridge-out-check", 300, Duration.ofSeconds(30), about(run));
        for (String key : keys) {
            assertThat(received.stream().filter(m -> m.getOrderingKey().equals(key))
                    .map(m -> Integer.parseInt(m.getData().toStringUtf8().split(" ")[1])).toList())
                    .as("key %s", key).isEqualTo(IntStream.range(0, 100).boxed().toList());
        }
    }

    @Test
    void eventsStoredWhilePubSubIsDownAreAllPublishedWhenItIsBack(Emulators emulators) {
        ConfigurableApplicationContext app = start(newDatabase(), true);
        String run = UUID.randomUUID().toString();

        emulators.stopPubSub();
        List<String> ids = makeThings(app, run, 20);
        emulators.startPubSub(); // empty: the app provisions its topics and subscriptions again by itself

        assertThat(probe.pullKeys("bridge-out-check", ids, Duration.ofSeconds(30))).containsExactlyInAnyOrderElementsOf(ids);
    }

    /**
     * The emulator holds everything in memory: stopped and started again, the messages it had not delivered are gone.
     * Against the emulator the app keeps what it published lately and publishes it again once it can pull again.
     */
    @Test
    void messagesPubSubLostInARestartArePublishedAgainOnceItIsBack(Emulators emulators) throws Exception {
        PubSubPublishing publishing = start(newDatabase(), true, "axon.pubsub.republish.interval=1s", "axon.pubsub.republish.delay=1s").getBean(PubSubPublishing.class);
        String run = UUID.randomUUID().toString();
        List<String> keys = IntStream.range(0, 20).mapToObj(i -> run + "-" + i).toList();
        CompletableFuture.allOf(keys.stream().map(key -> publishing.publish("bridge-out", PubsubMessage.newBuilder()
                .setData(ByteString.copyFromUtf8(key)).setOrderingKey(key).build())).toArray(CompletableFuture[]::new))
                .get(30, TimeUnit.SECONDS);

        emulators.stopPubSub(); // stored for bridge-out-check, never pulled: gone with the emulator
        emulators.startPubSub();

        assertThat(probe.pullKeys("bridge-out-check", keys, Duration.ofSeconds(30))).containsExactlyInAnyOrderElementsOf(keys);
    }

    @Test
    void eventsStoredByAnAppKilledBeforePublishingArePublishedAfterItRestarts() {
        String database = newDatabase();
        String run = UUID.randomUUID().toString();
        ConfigurableApplicationContext crashed = start(database, false); // stored, never relayed
        List<String> ids = makeThings(crashed, run, 20);
        crashed.close();

        start(database, true);

        assertThat(probe.pullKeys("bridge-out-check", ids, Duration.ofSeconds(30))).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void theEventStoreHasNoGapsInItsGlobalIndexAcrossRestarts() {
        String database = newDatabase();
        String run = UUID.randomUUID().toString();
        makeThings(start(database, true), run + "-a", 3);
        stopApps();
        ConfigurableApplicationContext app = start(database, true);
        makeThings(app, run + "-b", 3);

        List<Long> indexes = app.getBean(JdbcTemplate.class)
                .queryForList("select global_index from domain_event_entry order by global_index", Long.class);
        assertThat(indexes).hasSize(6);
        assertThat(indexes.get(5) - indexes.get(0)).as("gaps in %s", indexes).isEqualTo(5);
    }

    /**
     * Axon's JPA event store forgets the hole left by a transaction still open below a stored event whose timestamp
     * is older than its gap timeout (60 s): a tracking processor then skips the hole's event for good once it commits.
     * An inbound message may be minutes old (a backlog, a redelivery); stamped with its publish time, it made an
     * app lose the events another transaction was storing at that moment.
     */
    @Test
    void anOldMessageHandledWhileAnotherTransactionIsOpenDoesNotMakeTheProcessorsSkipThatTransactionsEvent()
            throws Exception {
        ConfigurableApplicationContext app = start(newDatabase(), true);
        Handlers effects = app.getBean(Handlers.class);
        String held = UUID.randomUUID().toString();
        String old = UUID.randomUUID().toString();
        CountDownLatch stored = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TransactionTemplate transaction = new TransactionTemplate(app.getBean(PlatformTransactionManager.class));
        CompletableFuture<Void> open = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(status -> {
            // Stored (its global index taken, below the old message's), not committed until released.
            app.getBean(EventBus.class).publish(GenericEventMessage.asEventMessage(new Ping(held, null)));
            stored.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertThat(stored.await(10, TimeUnit.SECONDS)).isTrue();

        probe.publish("bridge-in", "{\"uuid\":\"" + old + "\"}", Map.of(Attributes.TYPE, "Ping",
                Attributes.TIMESTAMP, Instant.now().minus(Duration.ofMinutes(2)).toString()));
        await().atMost(Duration.ofSeconds(10)).until(() -> effects.count("ping", old) == 1);
        release.countDown();
        open.get(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(10)).until(() -> effects.count("ping", held) == 1);
    }

    @Test
    void aMessageDeliveredTwiceHasOneEffect() throws Exception {
        ConfigurableApplicationContext app = start(newDatabase(), true);
        Handlers effects = app.getBean(Handlers.class);
        String id = UUID.randomUUID().toString();
        Map<String, String> event = Map.of(Attributes.TYPE, "Ping", Attributes.MESSAGE_ID, "ping-" + id);
        Map<String, String> command = Map.of(Attributes.TYPE, "RecordNote", Attributes.KIND, "command",
                Attributes.MESSAGE_ID, "note-" + id);

        for (int i = 0; i < 2; i++) { // the same message ids twice, as a republish after a crash does
            probe.publish("bridge-in", "{\"uuid\":\"" + id + "\",\"text\":\"x\"}", event);
            probe.publish("bridge-in", "{\"uuid\":\"" + id + "\",\"text\":\"x\"}", command);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> duplicates(app) >= 2);
        // A later message, handled after the duplicates had their chance to take effect:
        String marker = UUID.randomUUID().toString();
        probe.publish("bridge-in", "{\"uuid\":\"" + marker + "\"}", Map.of(Attributes.TYPE, "Ping"));
        await().atMost(Duration.ofSeconds(10)).until(() -> effects.count("ping", marker) == 1);

        assertThat(effects.count("ping", id)).isEqualTo(1);
        assertThat(effects.count("note", id)).isEqualTo(1);
    }

    @Test
    void poisonMessagesGoToTheDeadLetterTopicWithTheReasonAndDoNotBlockTheNext() throws Exception {
        ConfigurableApplicationContext app = start(newDatabase(), true);
        Handlers effects = app.getBean(Handlers.class);
        String id = UUID.randomUUID().toString();
        PubsubMessage garbage = PubsubMessage.newBuilder().setData(ByteString.copyFrom(new byte[]{(byte) 0xff, 0, 42}))
                .putAttributes(Attributes.TYPE, "Ping").putAttributes("test-run", id).setOrderingKey(id).build();
        PubsubMessage unknownType = PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8("{\"uuid\":\"" + id + "\"}"))
                .putAttributes(Attributes.TYPE, "Nonsense").putAttributes("test-run", id).setOrderingKey(id).build();
        PubsubMessage untyped = PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8("hello"))
                .putAttributes("test-run", id).setOrderingKey(id).build();
        probe.publish("bridge-in", garbage);
        probe.publish("bridge-in", unknownType);
        probe.publish("bridge-in", untyped);
        probe.publish("bridge-in", PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8("{\"uuid\":\"" + id + "\"}"))
                .putAttributes(Attributes.TYPE, "Ping").setOrderingKey(id).build());

        await().atMost(Duration.ofSeconds(10)).until(() -> effects.count("ping", id) == 1);
        List<PubsubMessage> dead = probe.pull("dead-letter-sub", 3, Duration.ofSeconds(10),
                m -> id.equals(m.getAttributesOrDefault("test-run", "")));
        assertThat(dead).extracting(m -> m.getAttributesOrDefault(Attributes.DEAD_LETTER_REASON, ""))
                .anySatisfy(reason -> assertThat(reason).startsWith("data is not a valid Ping"))
                .anySatisfy(reason -> assertThat(reason).isEqualTo("unknown message type 'Nonsense'"))
                .anySatisfy(reason -> assertThat(reason).isEqualTo("no 'type' attribute"));
        assertThat(dead).allSatisfy(m -> assertThat(m.getAttributesMap())
                .containsEntry(Attributes.DEAD_LETTER_SUBSCRIPTION, "bridge-in-sub")
                .containsEntry(Attributes.DEAD_LETTER_ATTEMPTS, "1"));
        // Forwarded as received (subscriptions are unordered: the dead letters may come in any order).
        assertThat(dead).filteredOn(m -> m.getAttributesOrThrow(Attributes.DEAD_LETTER_REASON).startsWith("data is not"))
                .singleElement().satisfies(m -> assertThat(m.getData().toByteArray()).isEqualTo(garbage.getData().toByteArray()));
        MeterRegistry meters = app.getBean(MeterRegistry.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> inbound(meters, "acked") == 4);
        assertThat(inbound(meters, "pulled")).isEqualTo(4);
        assertThat(meters.get("pubsub.inbound.dead.lettered").tags("subscription", "bridge-in-sub", "reason", "invalid")
                .counter().count()).isEqualTo(3);
        assertThat(inbound(meters, "handled")).isEqualTo(1);
    }

    @Test
    void aMessageThatKeepsFailingIsRetriedThenDeadLetteredAndTheNextIsHandled() throws Exception {
        ConfigurableApplicationContext app = start(newDatabase(), true);
        Handlers effects = app.getBean(Handlers.class);
        String id = UUID.randomUUID().toString();
        Map<String, String> command = Map.of(Attributes.TYPE, "RecordNote", Attributes.KIND, "command");
        probe.publish("bridge-in", PubsubMessage.newBuilder().setOrderingKey(id).putAllAttributes(command)
                .setData(ByteString.copyFromUtf8("{\"uuid\":\"" + id + "\",\"text\":\"explode\"}")).build());
        probe.publish("bridge-in", PubsubMessage.newBuilder().setOrderingKey(id).putAllAttributes(command)
                .setData(ByteString.copyFromUtf8("{\"uuid\":\"" + id + "\",\"text\":\"fine\"}")).build());

        PubsubMessage dead = probe.pull("dead-letter-sub", 1, Duration.ofSeconds(30), about(id)).get(0);
        assertThat(dead.getAttributesMap()).containsEntry(Attributes.DEAD_LETTER_REASON, "the note exploded")
                .containsEntry(Attributes.DEAD_LETTER_ATTEMPTS, "5")
                .containsEntry(Attributes.DEAD_LETTER_ERROR, IllegalStateException.class.getName());
        await().atMost(Duration.ofSeconds(10)).until(() -> effects.count("note", id) == 1);
        MeterRegistry meters = app.getBean(MeterRegistry.class);
        assertThat(meters.get("pubsub.inbound.dead.lettered").tags("subscription", "bridge-in-sub", "reason", "other")
                .counter().count()).isEqualTo(1);
        // The four failed attempts and their redeliveries, and, each time one pull brought both, the message behind
        // them (same ordering key), nacked with them and redelivered too: how often depends on the pulls' timing.
        assertThat(inbound(meters, "nacked")).as("the four failed attempts").isBetween(4L, 8L);
        assertThat(inbound(meters, "redelivered")).as("attempts 2 to 5").isBetween(4L, 8L);
    }

    /**
     * The app's database goes away (its H2 server stopped, the connections broken) while messages arrive, for longer
     * than five deliveries take: they are valid, so they wait for the database instead of being dead-lettered, the
     * app says it is out of service meanwhile, and each is handled once when the database is back.
     */
    @Test
    void messagesArrivingWhileTheDatabaseIsDownWaitForItAndAreHandledOnceNoneDeadLettered() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        org.h2.tools.Server database = org.h2.tools.Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists").start();
        try {
            String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:" + newDatabase() + ";DB_CLOSE_DELAY=-1";
            ConfigurableApplicationContext app = start(newDatabase(), true, "spring.datasource.url=" + url,
                    "spring.datasource.hikari.connection-timeout=500");
            Handlers effects = app.getBean(Handlers.class);
            Deliveries consumer = app.getBean(Deliveries.class);
            InboundHealth health = app.getBean(InboundHealth.class);
            String run = UUID.randomUUID().toString();
            List<String> ids = IntStream.range(0, 20).mapToObj(i -> run + "-" + i).toList();

            database.stop();
            for (String id : ids) {
                probe.publish("bridge-in", "{\"uuid\":\"" + id + "\"}", Map.of(Attributes.TYPE, "Ping"));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> consumer.outages().containsKey("bridge-in-sub"));
            assertThat(health.health().getStatus()).isEqualTo(org.springframework.boot.actuate.health.Status.OUT_OF_SERVICE);
            assertThat(health.health().getDetails().toString()).contains("bridge-in-sub");
            // The scenario: down for 10 s, longer than the five deliveries before a dead letter take (each fails in 0.5 s).
            Thread.sleep(Duration.ofSeconds(10).toMillis());
            database = org.h2.tools.Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists").start();

            await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> effects.count("ping", id) == 1));
            await().atMost(Duration.ofSeconds(5)).until(() -> consumer.outages().isEmpty());
            assertThat(health.health().getStatus()).isEqualTo(org.springframework.boot.actuate.health.Status.UP);
            assertThat(consumer.stats().get("bridge-in-sub").deadLettered()).isZero();
        } finally {
            stopApps();
            database.stop();
        }
    }

    /**
     * Lines logged while a message is handled carry its order, id and subscription: on the pull loop's thread (the
     * bridge's own line, a failure) and on the event processor's (the app's handler); none leaks into later lines.
     */
    @Test
    void linesLoggedWhileHandlingAMessageCarryItsOrderIdMessageIdAndSubscription() throws Exception {
        ConfigurableApplicationContext app = start(newDatabase(), true);
        Handlers effects = app.getBean(Handlers.class);
        String id = UUID.randomUUID().toString();
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("ROOT");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines = new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        root.addAppender(lines);
        try {
            probe.publish("bridge-in", PubsubMessage.newBuilder().setOrderingKey(id)
                    .putAttributes(Attributes.TYPE, "Ping").putAttributes(Attributes.MESSAGE_ID, "ping-" + id)
                    .setData(ByteString.copyFromUtf8("{\"uuid\":\"" + id + "\"}")).build());
            probe.publish("bridge-in", PubsubMessage.newBuilder().setOrderingKey(id)
                    .putAttributes(Attributes.TYPE, "RecordNote").putAttributes(Attributes.KIND, "command")
                    .putAttributes(Attributes.MESSAGE_ID, "note-" + id)
                    .setData(ByteString.copyFromUtf8("{\"uuid\":\"" + id + "\",\"text\":\"explode\"}")).build());
            await().atMost(Duration.ofSeconds(10)).until(() -> effects.count("ping", id) == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> List.copyOf(lines.list).stream()
                    .anyMatch(e -> e.getFormattedMessage().contains("failed (attempt 1 of")));
        } finally {
            root.detachAppender(lines);
        }
        List<ch.qos.logback.classic.spi.ILoggingEvent> logged = List.copyOf(lines.list);
        // The app's handler, on its tracking processor's thread:
        assertThat(logged).filteredOn(e -> e.getFormattedMessage().equals("Pinged " + id)).singleElement().satisfies(e -> {
            assertThat(e.getThreadName()).doesNotStartWith("pubsub-pull");
            assertThat(e.getMDCPropertyMap()).containsEntry("orderId", id).containsEntry("messageId", "ping-" + id)
                    .containsEntry("subscription", "bridge-in-sub");
        });
        // The bridge's line per message handled, and a failure, on the pull loop's thread:
        assertThat(logged).filteredOn(e -> e.getLoggerName().endsWith("Deliveries.handled") && "ping-".concat(id)
                .equals(e.getMDCPropertyMap().get("messageId"))).singleElement().satisfies(e -> {
            assertThat(e.getThreadName()).startsWith("pubsub-pull-bridge-in-sub");
            assertThat(e.getFormattedMessage()).isEqualTo("Ping handled");
            assertThat(e.getMDCPropertyMap()).containsEntry("orderId", id).containsEntry("subscription", "bridge-in-sub");
        });
        assertThat(logged).filteredOn(e -> e.getFormattedMessage().contains("failed (attempt 1 of")).first().satisfies(e ->
                assertThat(e.getMDCPropertyMap()).containsEntry("orderId", id).containsEntry("messageId", "note-" + id)
                        .containsEntry("subscription", "bridge-in-sub"));
        // Nothing about the message stays on a thread after it: every line naming it is one of its own.
        assertThat(logged).filteredOn(e -> id.equals(e.getMDCPropertyMap().get("orderId")))
                .allSatisfy(e -> assertThat(e.getMDCPropertyMap().get("messageId")).endsWith(id));
    }

    /**
     * Readiness follows the app's dependencies: down while its database is unreachable, out of service while an
     * event processor is stopped, ready again once each is back; liveness stays up throughout, so a platform stops
     * routing to the app instead of restarting it.
     */
    @Test
    void readinessGoesDownWhileADependencyIsDownAndComesBackLivenessStaysUp() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        // On disk: an in-memory database of a stopped server stays closed when the server starts again.
        String[] server = {"-tcpPort", Integer.toString(port), "-ifNotExists", "-baseDir",
                java.nio.file.Files.createTempDirectory("readiness").toString()};
        org.h2.tools.Server database = org.h2.tools.Server.createTcpServer(server).start();
        try {
            String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/./" + newDatabase();
            ConfigurableApplicationContext app = start(newDatabase(), true, "spring.datasource.url=" + url,
                    "spring.datasource.hikari.connection-timeout=500",
                    // as the services have it (their application.yml)
                    "management.endpoint.health.probes.enabled=true",
                    "management.endpoint.health.group.readiness.include=readinessState,db,pubSubInbound,axonProcessors");
            org.springframework.boot.actuate.health.HealthEndpoint health =
                    app.getBean(org.springframework.boot.actuate.health.HealthEndpoint.class);
            java.util.function.Function<String, org.springframework.boot.actuate.health.Status> probe =
                    path -> health.healthForPath(path).getStatus();
            org.springframework.boot.actuate.health.Status up = org.springframework.boot.actuate.health.Status.UP;
            await().atMost(Duration.ofSeconds(30)).until(() -> probe.apply("readiness").equals(up));
            assertThat(probe.apply("liveness")).isEqualTo(up);

            database.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> probe.apply("readiness")
                    .equals(org.springframework.boot.actuate.health.Status.DOWN));
            assertThat(health.healthForPath("readiness", "db").getStatus()).isEqualTo(org.springframework.boot.actuate.health.Status.DOWN);
            assertThat(probe.apply("liveness")).isEqualTo(up);
            database = org.h2.tools.Server.createTcpServer(server).start();
            // A processor that failed meanwhile retries after a back-off of up to a minute. Polled once a second: the
            // pool checks (and replaces) a broken connection only after it was idle half a second.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> probe.apply("readiness").equals(up));

            org.axonframework.eventhandling.EventProcessor effects = app.getBean(org.axonframework.config.EventProcessingConfiguration.class)
                    .eventProcessor("effects").orElseThrow();
            effects.shutDown();
            assertThat(health.healthForPath("readiness", "axonProcessors")).satisfies(processors -> {
                assertThat(processors.getStatus()).isEqualTo(org.springframework.boot.actuate.health.Status.OUT_OF_SERVICE);
                assertThat(processors.toString()).contains("effects=stopped");
            });
            assertThat(probe.apply("readiness")).isNotEqualTo(up);
            assertThat(probe.apply("liveness")).isEqualTo(up);
            effects.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> probe.apply("readiness").equals(up));
        } finally {
            stopApps();
            database.stop();
        }
    }

    @Test
    void inboxEntriesOlderThanTheRetentionArePrunedInBatchesAndARecentOneStillStopsADuplicate() throws Exception {
        ConfigurableApplicationContext app = start(newDatabase(), true,
                "axon.pubsub.inbound.inbox-retention=1h", "axon.pubsub.inbound.inbox-prune-batch-size=3");
        Handlers effects = app.getBean(Handlers.class);
        JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
        for (int i = 0; i < 7; i++) {
            jdbc.update("insert into pubsub_inbox (message_id, subscription, handled_at) values (?, 'bridge-in-sub', ?)",
                    "old-" + i, java.sql.Timestamp.from(Instant.now().minus(Duration.ofHours(2))));
        }
        String id = UUID.randomUUID().toString();
        Map<String, String> ping = Map.of(Attributes.TYPE, "Ping", Attributes.MESSAGE_ID, "ping-" + id);
        probe.publish("bridge-in", "{\"uuid\":\"" + id + "\"}", ping);
        await().atMost(Duration.ofSeconds(10)).until(() -> effects.count("ping", id) == 1);

        assertThat(app.getBean(InboxPruner.class).prune()).as("7 old entries, in batches of 3").isEqualTo(7);

        assertThat(jdbc.queryForList("select message_id from pubsub_inbox", String.class)).containsExactly("ping-" + id);
        probe.publish("bridge-in", "{\"uuid\":\"" + id + "\"}", ping);
        await().atMost(Duration.ofSeconds(10)).until(() -> duplicates(app) == 1);
        assertThat(effects.count("ping", id)).isEqualTo(1);
    }

    /**
     * An emulator started afresh numbers its messages from 1 again, while the app's store remembers the dead letters
     * of the last one: a new poison message with an old dead letter's id is no redelivery, and must be dead-lettered
     * (a reliability run on a reused gateway store lost 10 poison messages to this).
     */
    @Test
    void aNewMessageWithTheIdOfAnEarlierDeadLetterIsNotTakenForItsRedelivery() {
        InboundMessageHandler handler = start(newDatabase(), true).getBean(InboundMessageHandler.class);
        PubsubMessage deadLettered = PubsubMessage.newBuilder().setMessageId("7")
                .setPublishTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_000).setNanos(5)).build();
        handler.recordDeadLetter("bridge-in-sub", deadLettered);

        assertThat(handler.wasDeadLettered("bridge-in-sub", deadLettered.toBuilder().build())).as("redelivered").isTrue();
        assertThat(handler.wasDeadLettered("bridge-in-sub", deadLettered.toBuilder()
                .setPublishTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(2_000)).build())).as("a new one").isFalse();
        assertThat(handler.wasDeadLettered("other-sub", deadLettered)).as("another subscription's").isFalse();
    }

    @Test
    void aPulledBatchIsHandledTogetherAndOneFailingMessageInItDoesNotTakeTheOthersDown() throws Exception {
        String database = newDatabase();
        start(database, true).close(); // provisions, then stops: what follows waits as a backlog, pulled in one go
        String run = UUID.randomUUID().toString();
        Map<String, String> command = Map.of(Attributes.TYPE, "RecordNote", Attributes.KIND, "command");
        List<PubsubMessage> backlog = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String text = i == 15 ? "explode" : "fine";
            backlog.add(PubsubMessage.newBuilder().putAllAttributes(command).putAttributes(Attributes.MESSAGE_ID, run + "-" + i)
                    .setData(ByteString.copyFromUtf8("{\"uuid\":\"" + run + "-" + i + "\",\"text\":\"" + text + "\"}")).build());
        }
        backlog.add(backlog.get(3)); // the same message id twice in one pull: one effect
        probe.publishAll("bridge-in", backlog);

        ConfigurableApplicationContext app = start(database, true);
        Handlers effects = app.getBean(Handlers.class);

        PubsubMessage dead = probe.pull("dead-letter-sub", 1, Duration.ofSeconds(30), about(run + "-15")).get(0);
        assertThat(dead.getAttributesMap()).containsEntry(Attributes.DEAD_LETTER_REASON, "the note exploded");
        await().atMost(Duration.ofSeconds(10)).until(() -> IntStream.range(0, 30).filter(i -> i != 15)
                .allMatch(i -> effects.count("note", run + "-" + i) == 1));
        assertThat(effects.count("note", run + "-15")).isZero();
        var stats = app.getBean(Deliveries.class).stats().get("bridge-in-sub");
        assertThat(stats.duplicates()).isEqualTo(1);
        assertThat(stats.splitBatches()).as("pulls that failed together and were split").isPositive();
    }

    /**
     * Two instances on one database: the other one stored an event of the same aggregate while this one handled a
     * command for it. The command's events then take sequence numbers already taken; it is handled again at once,
     * on the aggregate as it now is, and both changes stay.
     */
    @Test
    void aCommandThatMeetsAConcurrentChangeOfItsAggregateIsHandledAgainOnTheAggregateAsItNowIs() throws Exception {
        ConfigurableApplicationContext app = start(newDatabase(), true);
        String id = UUID.randomUUID().toString();
        app.getBean(CommandGateway.class).sendAndWait(new MakeThing(id, "made"));
        EventStore store = app.getBean(EventStore.class);
        TransactionTemplate otherInstance = new TransactionTemplate(app.getBean(PlatformTransactionManager.class));
        Thing.MEANWHILE.put(id, () -> CompletableFuture.runAsync(() -> otherInstance.executeWithoutResult(status ->
                store.publish(new GenericDomainEventMessage<>("Thing", id, 1, new ThingNoted(id, "elsewhere"))))).join());

        probe.publish("bridge-in", "{\"uuid\":\"" + id + "\",\"text\":\"here\"}",
                Map.of(Attributes.TYPE, "NoteThing", Attributes.KIND, "command"));

        var stats = app.getBean(Deliveries.class).stats().get("bridge-in-sub");
        await().atMost(Duration.ofSeconds(10)).until(() -> stats.handled() == 1);
        assertThat(store.readEvents(id).asStream().<Object>map(Message::getPayload).toList())
                .containsExactly(new ThingMade(id, "made"), new ThingNoted(id, "elsewhere"), new ThingNoted(id, "here"));
        assertThat(Thing.MEANWHILE).doesNotContainKey(id);
        assertThat(stats.conflicts()).as("handled again after the conflict").isEqualTo(1);
        assertThat(stats.failed() + stats.deadLettered()).isZero();
    }

    @Test
    void anEventWhoseHandlerFailsOnceIsRetriedNotSkipped() throws Exception {
        Handlers effects = start(newDatabase(), true).getBean(Handlers.class);
        String id = UUID.randomUUID().toString();
        Handlers.FAIL_ONCE.add(id);

        probe.publish("bridge-in", "{\"uuid\":\"" + id + "\"}", Map.of(Attributes.TYPE, "Ping"));

        await().atMost(Duration.ofSeconds(20)).until(() -> effects.count("ping", id) == 1);
        assertThat(Handlers.FAIL_ONCE).doesNotContain(id);
    }

    @Test
    void aCommandSentThroughTheGatewayTravelsToItsTopic() throws Exception {
        ConfigurableApplicationContext app = start(newDatabase(), true);
        String id = UUID.randomUUID().toString();

        app.getBean(CommandGateway.class).sendAndWait(new RemoteNote(id, "undo it"));

        PubsubMessage sent = probe.pull("bridge-commands-check", 1, Duration.ofSeconds(10), about(id)).get(0);
        assertThat(sent.getAttributesMap()).containsEntry(Attributes.TYPE, "RemoteNote").containsEntry(Attributes.KIND, "command");
        assertThat(sent.getOrderingKey()).isEqualTo(id);
        assertThat(JSON.readTree(sent.getData().toStringUtf8()).get("text").asText()).isEqualTo("undo it");
    }

    @Test
    void aRestartedConsumerReceivesTheBacklogWithinTenSeconds() throws Exception {
        String database = newDatabase();
        start(database, true).close(); // provisions, receives, stops
        String run = UUID.randomUUID().toString();
        List<String> ids = IntStream.range(0, 50).mapToObj(i -> run + "-" + i).toList();
        for (String id : ids) {
            probe.publish("bridge-in", "{\"uuid\":\"" + id + "\"}", Map.of(Attributes.TYPE, "Ping"));
        }

        long started = System.nanoTime();
        ConfigurableApplicationContext app = start(database, true);
        Handlers effects = app.getBean(Handlers.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> ids.stream().allMatch(id -> effects.count("ping", id) == 1));
        assertThat(app.getBean(Deliveries.class).stats().get("bridge-in-sub").batches())
                .as("pulls of several messages handled in one transaction").isPositive();
        System.out.printf("backlog of 50 handled %d ms after the restart began%n", (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    void anIdleSubscriptionStopsPollingAndStillReceivesAtOnce() throws Exception {
        ConfigurableApplicationContext app = start(newDatabase(), true, "axon.pubsub.inbound.wait-after-idle=1s");
        Handlers effects = app.getBean(Handlers.class);
        var stats = app.getBean(Deliveries.class).stats().get("bridge-in-sub");
        // Polling (every 50 ms at most while active) goes on for a second after the start, then one pull waits: the
        // count of pulls stops growing (unchanged between two looks a second apart).
        java.util.concurrent.atomic.AtomicLong lastLook = new java.util.concurrent.atomic.AtomicLong(-1);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            long pulls = stats.pulls();
            return lastLook.getAndSet(pulls) == pulls;
        });
        String id = UUID.randomUUID().toString();
        long published = System.nanoTime();

        probe.publish("bridge-in", "{\"uuid\":\"" + id + "\"}", Map.of(Attributes.TYPE, "Ping"));

        await().atMost(Duration.ofSeconds(2)).until(() -> effects.count("ping", id) == 1);
        System.out.printf("handled %d ms after its publish, on a waiting pull%n", (System.nanoTime() - published) / 1_000_000);
    }

    /** Both loops poll from the start (a start counts as activity), each at its own interval. */
    @Test
    void aSubscriptionWithItsOwnPollIntervalPullsAtItAndTheOthersAtTheDefault() throws Exception {
        ConfigurableApplicationContext app = start(newDatabase(), true, "axon.pubsub.inbound.subscriptions.slow-sub=bridge-in",
                "axon.pubsub.inbound.poll-intervals.slow-sub=500ms");
        var stats = app.getBean(Deliveries.class).stats();
        long fastBefore = stats.get("bridge-in-sub").pulls();
        long slowBefore = stats.get("slow-sub").pulls();
        long start = System.nanoTime();

        await().atMost(Duration.ofSeconds(10)).until(() -> stats.get("bridge-in-sub").pulls() - fastBefore >= 40);

        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        long slow = stats.get("slow-sub").pulls() - slowBefore;
        assertThat(slow).isBetween(1L, elapsedMillis / 500 + 2); // never sooner than 500 ms apart, the first at once
    }

    @Test
    void aPollIntervalForASubscriptionTheAppDoesNotReceiveFromFailsTheStartNamingIt() {
        assertThatThrownBy(() -> start(newDatabase(), true, "axon.pubsub.inbound.poll-intervals.bridge-in-subb=250ms"))
                .rootCause().hasMessageContaining("axon.pubsub.inbound.poll-intervals").hasMessageContaining("bridge-in-subb");
    }

    @Test
    void aDeadLetteredMessageDeliveredAgainIsAckedWithoutASecondDeadLetter() throws Exception {
        String database = newDatabase();
        ConfigurableApplicationContext first = start(database, true);
        String run = UUID.randomUUID().toString();
        String firstId = probe.publish("bridge-in", "{}", Map.of(Attributes.TYPE, "Nonsense", "test-run", run));
        probe.pull("dead-letter-sub", 1, Duration.ofSeconds(10), m -> run.equals(m.getAttributesOrDefault("test-run", "")));
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource("jdbc:h2:mem:" + database, "sa", "")); // outlives the app
        await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.queryForObject(
                "select count(*) from pubsub_inbox where message_id like ?", Integer.class, "dead-letter/bridge-in-sub/" + firstId + "@%") == 1);
        first.close();

        // A redelivery keeps its Pub/Sub message id and publish time. Make one: a message the inbox already holds as
        // dead-lettered (as a late ack of the first dead letter, or the other instance's, would leave it), received by a
        // new consumer. Its publish time, which Pub/Sub sets, is the same on every subscription: read it on the test's own.
        probe.createSubscription("bridge-in-check-" + run, "bridge-in");
        String secondId = probe.publish("bridge-in", "{}", Map.of(Attributes.TYPE, "Nonsense", "test-run", run));
        com.google.protobuf.Timestamp published = probe.pull("bridge-in-check-" + run, 1, Duration.ofSeconds(10),
                m -> m.getMessageId().equals(secondId)).get(0).getPublishTime();
        probe.deleteSubscription("bridge-in-check-" + run);
        jdbc.update("insert into pubsub_inbox (message_id, subscription, handled_at) values (?, ?, ?)",
                "dead-letter/bridge-in-sub/" + secondId + "@" + published.getSeconds() + "." + published.getNanos(),
                "bridge-in-sub", java.sql.Timestamp.from(Instant.now()));
        ConfigurableApplicationContext second = start(database, true);

        var stats = second.getBean(Deliveries.class).stats().get("bridge-in-sub");
        await().atMost(Duration.ofSeconds(25)).until(() -> stats.duplicates() == 1);
        assertThat(stats.deadLettered()).isZero();
    }

    @Test
    void afterNinetySecondsIdleANewMessageIsHandledWithinTwoSeconds() throws Exception {
        Handlers effects = start(newDatabase(), true).getBean(Handlers.class);
        // The scenario itself is 90 s of silence, during which the emulator's streams would be cancelled.
        Thread.sleep(Duration.ofSeconds(90).toMillis());
        String id = UUID.randomUUID().toString();

        probe.publish("bridge-in", "{\"uuid\":\"" + id + "\"}", Map.of(Attributes.TYPE, "Ping"));

        await().atMost(Duration.ofSeconds(2)).until(() -> effects.count("ping", id) == 1);
    }

    private ConfigurableApplicationContext start(String database, boolean relay, String... extraProperties) {
        return start(database, relay, context -> { }, extraProperties);
    }

    private ConfigurableApplicationContext start(String database, boolean relay,
                                                 ApplicationContextInitializer<ConfigurableApplicationContext> initializer,
                                                 String... extraProperties) {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(BridgeTestApp.class)
                .web(WebApplicationType.NONE)
                .initializers(initializer)
                .properties(
                        "spring.datasource.url=jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1", // or in extraProperties
                        "spring.jpa.hibernate.ddl-auto=update",
                        "axon.serializer.general=jackson", "axon.serializer.events=jackson", "axon.serializer.messages=jackson",
                        "axon.pubsub.outbound.enabled=" + relay,
                        "axon.pubsub.outbound.topics.ThingMade=bridge-out",
                        "axon.pubsub.inbound.subscriptions.bridge-in-sub=bridge-in",
                        "axon.pubsub.commands.routes.RemoteNote=bridge-commands",
                        "axon.pubsub.provisioning.subscriptions.bridge-out-check=bridge-out",
                        "axon.pubsub.provisioning.subscriptions.bridge-commands-check=bridge-commands")
                .properties(extraProperties)
                .run();
        apps.add(app);
        return app;
    }

    /** The outbound processor with both its segments claimed and every event read: waiting for the next one. */
    private static TrackingEventProcessor waitUntilIdle(ConfigurableApplicationContext app) {
        TrackingEventProcessor outbound = app.getBean(EventProcessingConfiguration.class)
                .eventProcessor("pubsub-outbound", TrackingEventProcessor.class).orElseThrow();
        await().atMost(Duration.ofSeconds(20)).until(() -> outbound.processingStatus().size() == 2
                && outbound.processingStatus().values().stream().allMatch(EventTrackerStatus::isCaughtUp));
        return outbound;
    }

    /** How many times the app had Pub/Sub store a message about {@code id} (what it keeps to republish). */
    private static long publishedCopies(ConfigurableApplicationContext app, String id) {
        return app.getBean(RecentMessages.class).withinWindow().stream()
                .filter(sent -> sent.message().getData().toStringUtf8().contains(id)).count();
    }

    private static List<String> makeThings(ConfigurableApplicationContext app, String run, int count) {
        CommandGateway commands = app.getBean(CommandGateway.class);
        List<String> ids = IntStream.range(0, count).mapToObj(i -> run + "-" + i).toList();
        ids.forEach(id -> commands.sendAndWait(new MakeThing(id, run)));
        return ids;
    }

    private static long inbound(MeterRegistry meters, String counter) {
        return (long) meters.get("pubsub.inbound." + counter).tag("subscription", "bridge-in-sub").counter().count();
    }

    private static long duplicates(ConfigurableApplicationContext app) {
        return app.getBean(Deliveries.class).stats().get("bridge-in-sub").duplicates();
    }

    private static String newDatabase() {
        return "bridge-" + UUID.randomUUID();
    }

    private static java.util.function.Predicate<PubsubMessage> about(String id) {
        return m -> m.getData().toStringUtf8().contains(id);
    }

}
