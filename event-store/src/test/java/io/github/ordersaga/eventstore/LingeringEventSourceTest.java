package io.github.ordersaga.eventstore;

import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The linger over a real tracking processor and event store (Axon's, in memory): what it waits for, and what it never
 * delays. The test's sleeper publishes what "the next moments" bring, then waits the linger.
 */
class LingeringEventSourceTest {

    private static final Duration LINGER = Duration.ofMillis(300);
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Each handled event with the batch (root unit of work) it was handled in. */
    private final List<Map.Entry<String, Integer>> handled = new CopyOnWriteArrayList<>();
    private final List<Duration> lingers = new CopyOnWriteArrayList<>();
    /** What happens while the processor lingers, once. */
    private volatile Consumer<Configuration> duringLinger = axon -> { };
    private Configuration axon;

    @ProcessingGroup("projection")
    class View {
        @EventHandler
        void on(String event) {
            handled.add(Map.entry(event, System.identityHashCode(CurrentUnitOfWork.get().root())));
        }
    }

    private Configuration start(Duration linger, String... before) {
        axon = DefaultConfigurer.defaultConfiguration()
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
                .eventProcessing(processing -> processing
                        .registerTrackingEventProcessor("projection",
                                c -> new LingeringEventSource(c::eventStore, linger, "test.linger", duration -> {
                                    lingers.add(duration);
                                    duringLinger.accept(c);
                                    duringLinger = axon -> { };
                                    Thread.sleep(duration.toMillis()); // the linger itself, as in production
                                }),
                                // Long waits for events: an event published while the processor waits (awaitIdle) is not
                                // published just as a wait times out and the processor comes round again.
                                c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing().andBatchSize(20)
                                        .andEventAvailabilityTimeout(10, TimeUnit.SECONDS))
                        .registerEventHandler(c -> new View()))
                .buildConfiguration();
        publish(axon, before);
        axon.start();
        // Read before the test goes on: Axon's shared reader of the store, which starts with the first one, is running.
        await().atMost(WAIT).untilAsserted(() -> assertThat(handled).hasSize(before.length));
        return axon;
    }

    @AfterEach
    void stop() {
        if (axon != null) {
            axon.shutdown();
        }
    }

    private static void publish(Configuration axon, String... events) {
        for (String event : events) {
            axon.eventStore().publish(GenericEventMessage.asEventMessage(event));
        }
    }

    /** Until the processor waits for an event in the source: an event published now finds it idle. */
    private static void awaitIdle() {
        await().atMost(WAIT).until(() -> Thread.getAllStackTraces().entrySet().stream().anyMatch(thread ->
                thread.getKey().getName().startsWith("EventProcessor[projection]")
                        && thread.getKey().getState() == Thread.State.TIMED_WAITING
                        && Arrays.stream(thread.getValue()).anyMatch(frame ->
                        frame.getClassName().startsWith(LingeringEventSource.class.getName())
                                && frame.getMethodName().equals("hasNextAvailable"))));
    }

    /** Events in the order handled, one list per batch. */
    private List<List<String>> batches() {
        Map<Integer, List<String>> byBatch = handled.stream().collect(Collectors.groupingBy(Map.Entry::getValue,
                LinkedHashMap::new, Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
        return new ArrayList<>(byBatch.values());
    }

    @Test
    void anEventThatFindsTheProcessorIdleWaitsTheLingerAndTheEventsOfThatTimeJoinItsBatch() {
        start(LINGER, "0");
        duringLinger = c -> publish(c, "b", "c");
        awaitIdle();
        publish(axon, "a");

        await().atMost(WAIT).untilAsserted(() -> assertThat(handled).as("lingers: " + lingers).hasSize(4));
        assertThat(batches()).containsExactly(List.of("0"), List.of("a", "b", "c"));
        assertThat(lingers).containsExactly(LINGER);
    }

    @Test
    void aBacklogIsReadAtOnceAndOnlyAnEventAfterItLingers() {
        start(LINGER, "a", "b", "c", "d", "e");

        assertThat(batches()).containsExactly(List.of("a", "b", "c", "d", "e"));
        assertThat(lingers).as("events waiting: no linger").isEmpty();

        awaitIdle();
        publish(axon, "f");
        await().atMost(WAIT).untilAsserted(() -> assertThat(handled).as("lingers: " + lingers).hasSize(6));
        assertThat(lingers).containsExactly(LINGER);
    }

    @Test
    void noLingerReadsTheStoreAsItIs() {
        start(Duration.ZERO, "0");
        publish(axon, "a");
        await().atMost(WAIT).untilAsserted(() -> assertThat(handled).hasSize(2));
        assertThat(lingers).isEmpty();
    }

    @Test
    void aNegativeLingerIsRefusedWithTheSettingsName() {
        assertThatThrownBy(() -> new LingeringEventSource(() -> null, Duration.ofMillis(-1), "test.linger"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("test.linger must not be negative");
    }
}
