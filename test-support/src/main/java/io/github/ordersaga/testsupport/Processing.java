package io.github.ordersaga.testsupport;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** Waits until event processors have handled everything in the event store: the condition "nothing more to come". */
public final class Processing {

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final JdbcTemplate jdbc;

    public Processing(EventProcessingConfiguration processing, EventStore eventStore, JdbcTemplate jdbc) {
        this.processing = processing;
        this.eventStore = eventStore;
        this.jdbc = jdbc;
    }

    /**
     * Every segment of each streaming processor is at or past the store's current head. A subscribing processor (the
     * policies, on one instance) handled each event in the transaction that stored it: nothing to wait for.
     */
    public void awaitCaughtUp(String... processors) {
        long head = eventStore.createHeadToken().position().orElse(-1);
        for (String name : processors) {
            if (!(processing.eventProcessor(name).orElseThrow() instanceof StreamingEventProcessor)) {
                continue;
            }
            Integer segments = jdbc.queryForObject(
                    "select count(*) from token_entry where processor_name = ?", Integer.class, name);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Map<Integer, EventTrackerStatus> status = processing
                        .eventProcessor(name, StreamingEventProcessor.class).orElseThrow().processingStatus();
                return status.size() == segments && status.values().stream()
                        .allMatch(s -> !s.isErrorState() && s.getCurrentPosition().orElse(-1) >= head);
            });
        }
    }

    /** Where this tracking processor reads its events. */
    public StreamableMessageSource<?> sourceOf(String processor) {
        return processing.eventProcessor(processor, TrackingEventProcessor.class).orElseThrow().getMessageSource();
    }

    /** How many events the aggregate with this id has stored. */
    public long eventsOf(String aggregateId) {
        return jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ? and type is not null",
                Long.class, aggregateId);
    }
}
