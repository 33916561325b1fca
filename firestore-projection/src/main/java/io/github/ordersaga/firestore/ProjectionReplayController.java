package io.github.ordersaga.firestore;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * {@code POST /admin/projection/replay}: rebuilds a context's Firestore collections from its event store. The
 * projection processor ({@code ordersaga.projection.processor}, default {@value #DEFAULT_PROCESSOR}) stops, its
 * reset handlers clear the collections, its tokens go back to the start of the store, and it starts again: 202 as
 * soon as it runs (the documents come back as it catches up). 409 when this instance has no such processor, or
 * another instance holds segments of it (stop the others first).
 */
@RestController
public class ProjectionReplayController {

    public static final String DEFAULT_PROCESSOR = "projection";
    private static final Logger log = LoggerFactory.getLogger(ProjectionReplayController.class);

    private final ObjectProvider<EventProcessingConfiguration> processing;
    private final String processorName;

    public ProjectionReplayController(ObjectProvider<EventProcessingConfiguration> processing, String processorName) {
        this.processing = processing;
        this.processorName = processorName;
    }

    @PostMapping("/admin/projection/replay")
    public synchronized ResponseEntity<?> replay() {
        var processor = processing.getObject().eventProcessor(processorName, StreamingEventProcessor.class);
        if (processor.isEmpty()) {
            return conflict("this instance runs no projection processor '" + processorName + "'");
        }
        processor.get().shutDown();
        try {
            processor.get().resetTokens();
        } catch (UnableToClaimTokenException claimedElsewhere) {
            return conflict("another instance holds segments of processor '" + processorName + "': "
                    + claimedElsewhere.getMessage());
        } finally {
            processor.get().start(); // also after a failed reset: the projection must keep running
        }
        log.info("Projection '{}' reset: replaying the event store into Firestore", processorName);
        return ResponseEntity.accepted().body(Map.of("processor", processorName, "status", "replaying"));
    }

    private static ResponseEntity<ProblemDetail> conflict(String detail) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail));
    }
}
