package io.github.ordersaga.firestore;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import io.github.ordersaga.testsupport.Emulators;
import io.github.ordersaga.testsupport.WithEmulators;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replay endpoint over a real tracking processor (Axon, in memory) and the real Firestore emulator: a replay that
 * fails halfway, or cannot start, never leaves the view damaged.
 */
@WithEmulators
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectionReplayTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int ACCOUNTS = 6;
    private static final int DEPOSITS = 30;

    private Firestore real;
    private FlakyFirestore flaky;
    private ProjectionWriter writer;
    private final AtomicBoolean failNextTokenStore = new AtomicBoolean();
    private String collection;
    private Configuration axon;
    private ProjectionReplayController controller;

    @BeforeAll
    void connect(Emulators emulators) {
        real = FirestoreOptions.newBuilder().setProjectId(emulators.projectId())
                .setEmulatorHost(emulators.firestoreHost()).build().getService();
    }

    @AfterAll
    void close() throws Exception {
        real.close();
    }

    /** A projection like the contexts' own: one document per account, its balance kept with increments. */
    @ProcessingGroup("projection")
    class Accounts {
        @EventHandler
        void on(Deposited event, TrackingToken token, @MessageIdentifier String eventId) {
            writer.apply(collection, event.account(), token, eventId,
                    Map.of("account", event.account(), "balance", ProjectionWriter.increment(event.amount())));
        }

        @ResetHandler
        void onReset(String replay) {
            writer.replaying(collection, replay);
        }
    }

    record Deposited(String account, long amount) {
    }

    @BeforeEach
    void startProjection() {
        collection = "accounts-" + UUID.randomUUID();
        flaky = new FlakyFirestore(real);
        writer = new ProjectionWriter(flaky.firestore, new SimpleMeterRegistry());
        TokenStore tokens = failingOnDemand(new InMemoryTokenStore());
        axon = DefaultConfigurer.defaultConfiguration()
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
                .eventProcessing(processing -> processing
                        .registerTrackingEventProcessor("projection", Configuration::eventStore, c ->
                                TrackingEventProcessorConfiguration.forSingleThreadedProcessing().andBatchSize(5))
                        .registerTokenStore("projection", c -> tokens)
                        .registerEventHandler(c -> new Accounts()))
                .buildConfiguration();
        axon.start();
        StaticListableBeanFactory beans = new StaticListableBeanFactory(
                Map.of("processing", axon.eventProcessingConfiguration()));
        controller = new ProjectionReplayController(beans.getBeanProvider(EventProcessingConfiguration.class),
                "projection", writer, Duration.ofMillis(200));
        controller.start();
    }

    @AfterEach
    void stopProjection() {
        controller.stop();
        axon.shutdown();
    }

    @Test
    void aReplayWhoseWritesFailHalfwayResumesAndLeavesTheViewCompleteAndCorrect() throws Exception {
        Map<String, Long> balances = deposit(DEPOSITS);
        awaitView(balances);
        // A view a replay should mend: a balance changed by hand, and a document no event writes.
        real.collection(collection).document("account-0").update("balance", 999).get();
        real.collection(collection).document("ghost").set(Map.of("balance", 1)).get();

        flaky.failAfter(2, Status.Code.UNAVAILABLE); // Firestore goes down two batches into the replay
        ResponseEntity<?> response = controller.replay();
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);

        await().atMost(WAIT).until(() -> flaky.failures() >= 3);
        assertThat(real.collection(collection).get().get().size()).as("every document still served")
                .isEqualTo(ACCOUNTS + 1);
        assertThat(processor().isRunning()).isTrue();

        flaky.recover();
        awaitView(balances);
        await().atMost(WAIT).untilAsserted(() -> assertThat(document("ghost").exists()).as("the leftover, deleted").isFalse());
        assertThat(writer.skippedWrites()).isZero();

        balances.merge("account-1", 5L, Long::sum);
        axon.eventBus().publish(GenericEventMessage.asEventMessage(new Deposited("account-1", 5)));
        awaitView(balances);
    }

    @Test
    void aReplayThatCannotStartLeavesTheViewAsItWasAndTheProjectionRunning() throws Exception {
        Map<String, Long> balances = deposit(DEPOSITS);
        awaitView(balances);
        Map<String, Map<String, Object>> before = view();

        failNextTokenStore.set(true); // the reset's database transaction fails, after the reset handlers ran
        ResponseEntity<?> response = controller.replay();

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(view()).isEqualTo(before);
        assertThat(processor().isRunning()).isTrue();
        balances.merge("account-2", 7L, Long::sum);
        axon.eventBus().publish(GenericEventMessage.asEventMessage(new Deposited("account-2", 7)));
        awaitView(balances);
    }

    private Map<String, Long> deposit(int deposits) {
        Map<String, Long> balances = new HashMap<>();
        for (int n = 1; n <= deposits; n++) {
            String account = "account-" + n % ACCOUNTS;
            balances.merge(account, (long) n, Long::sum);
            axon.eventBus().publish(GenericEventMessage.asEventMessage(new Deposited(account, n)));
        }
        return balances;
    }

    private void awaitView(Map<String, Long> balances) {
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Long> shown = new HashMap<>();
            view().forEach((id, fields) -> shown.put(id, ((Number) fields.get("balance")).longValue()));
            assertThat(shown).isEqualTo(balances);
        });
    }

    private Map<String, Map<String, Object>> view() throws Exception {
        Map<String, Map<String, Object>> documents = new HashMap<>();
        real.collection(collection).get().get().forEach(document -> documents.put(document.getId(), document.getData()));
        return documents;
    }

    private DocumentSnapshot document(String id) throws Exception {
        return real.collection(collection).document(id).get().get();
    }

    private StreamingEventProcessor processor() {
        return axon.eventProcessingConfiguration().eventProcessor("projection", StreamingEventProcessor.class).orElseThrow();
    }

    /** A token store whose next store of a token fails when {@link #failNextTokenStore} is set. */
    private TokenStore failingOnDemand(TokenStore delegate) {
        return (TokenStore) Proxy.newProxyInstance(TokenStore.class.getClassLoader(), new Class<?>[]{TokenStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("storeToken") && failNextTokenStore.getAndSet(false)) {
                        throw new IllegalStateException("simulated: the processor's database is down");
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
