package io.github.ordersaga.firestore;

import io.github.ordersaga.http.ProblemType;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code POST /admin/projection/replay}: rebuilds a context's Firestore collections from its event store. The
 * projection processor ({@code ordersaga.projection.processor}, default {@value #DEFAULT_PROCESSOR}) stops, its tokens
 * go back to the start of the store with a new replay id (its reset handlers record the replay's collections), and it
 * starts again: 202 as soon as it runs. Nothing is cleared up front: the processor rebuilds each document in place
 * ({@link ProjectionWriter}), so the old view keeps serving, and a replay that fails halfway resumes from its token.
 * Once it is through, the documents it did not write are deleted. 409 when this instance has no such processor, or
 * another instance holds segments of it (stop the others first); 503 when the reset fails, which changes nothing.
 */
@RestController
public class ProjectionReplayController implements SmartLifecycle {

    public static final String DEFAULT_PROCESSOR = "projection";
    private static final Logger log = LoggerFactory.getLogger(ProjectionReplayController.class);

    private final ObjectProvider<EventProcessingConfiguration> processing;
    private final String processorName;
    private final ProjectionWriter writer;
    /** The replay whose leftovers are still to be deleted once it is through. */
    private final AtomicReference<String> toSweep = new AtomicReference<>();
    private final Duration checkInterval;
    private ScheduledExecutorService sweeper;

    public ProjectionReplayController(ObjectProvider<EventProcessingConfiguration> processing, String processorName,
                                      ProjectionWriter writer, Duration checkInterval) {
        this.processing = processing;
        this.processorName = processorName;
        this.writer = writer;
        this.checkInterval = checkInterval;
    }

    /** Once the application runs: a replay resumed after a restart is then found and swept too. */
    @Override
    public synchronized void start() {
        sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "projection-replay-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        long interval = checkInterval.toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepIfThrough, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        sweeper.shutdownNow();
        sweeper = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return sweeper != null;
    }

    @PostMapping("/admin/projection/replay")
    public synchronized ResponseEntity<?> replay() {
        Optional<StreamingEventProcessor> processor = processor();
        if (processor.isEmpty()) {
            return ProblemType.CONFLICT.answer("this instance runs no projection processor '" + processorName + "'", null);
        }
        String replay = UUID.randomUUID().toString();
        processor.get().shutDown();
        try {
            processor.get().resetTokens(replay);
        } catch (UnableToClaimTokenException claimedElsewhere) {
            return ProblemType.CONFLICT.answer("another instance holds segments of processor '" + processorName
                    + "': " + claimedElsewhere.getMessage(), null);
        } catch (RuntimeException failed) {
            // The reset is one database transaction, and nothing in Firestore is changed by it: all as before.
            log.error("Projection '{}' replay not started; its view and tokens are unchanged", processorName, failed);
            return ProblemType.UNAVAILABLE.answer("the replay did not start, nothing changed: " + failed, null);
        } finally {
            processor.get().start(); // also after a failed reset: the projection must keep running
        }
        toSweep.set(replay);
        log.info("Projection '{}' reset: replay {} rebuilding its Firestore documents", processorName, replay);
        return ResponseEntity.accepted().body(Map.of("processor", processorName, "status", "replaying", "replay", replay));
    }

    /**
     * Deletes what a replay left from before it, once the processor is past every event it had handled before the
     * reset. Run by this instance, which holds every segment (else the replay would not have started); a replay
     * resumed after a restart is found from the processor's tokens.
     */
    void sweepIfThrough() {
        try {
            Optional<StreamingEventProcessor> processor = processor();
            if (processor.isEmpty() || !processor.get().isRunning()) {
                return;
            }
            Collection<EventTrackerStatus> statuses = processor.get().processingStatus().values();
            statuses.forEach(status -> ReplayToken.replayContext(status.getTrackingToken(), String.class)
                    .ifPresent(toSweep::set));
            String replay = toSweep.get();
            if (replay == null || !holdsEverySegment(statuses)
                    || statuses.stream().anyMatch(ProjectionReplayController::rebuilding)) {
                return;
            }
            int deleted = writer.sweep(replay);
            toSweep.compareAndSet(replay, null);
            log.info("Projection '{}' replay {} through; {} documents left from before it deleted", processorName, replay, deleted);
        } catch (RuntimeException e) {
            log.warn("Projection '{}': sweeping after a replay failed, trying again: {}", processorName, e.toString());
        }
    }

    private static boolean holdsEverySegment(Collection<EventTrackerStatus> statuses) {
        // A segment with mask m is 1/(m+1) of the sequence ids: powers of two, summed exactly.
        return statuses.stream().mapToDouble(s -> 1.0 / (s.getSegment().getMask() + 1)).sum() == 1.0;
    }

    /**
     * Whether a segment has yet to reach the position it was at when reset. By position: a replay token stays one
     * until an event past that position comes, which on a quiet system may take long.
     */
    private static boolean rebuilding(EventTrackerStatus status) {
        return status.getResetPosition().isPresent()
                && status.getCurrentPosition().orElse(0) < status.getResetPosition().getAsLong();
    }

    private Optional<StreamingEventProcessor> processor() {
        EventProcessingConfiguration configuration = processing.getIfAvailable();
        return configuration == null ? Optional.empty()
                : configuration.eventProcessor(processorName, StreamingEventProcessor.class);
    }
}
