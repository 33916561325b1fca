package io.github.ordersaga.order.web;

import io.github.ordersaga.order.query.OrderProjection;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * {@code POST /admin/projection/replay}: rebuilds the {@code orders} and {@code users} collections from the event
 * store. The projection processor stops, its reset handlers clear the collections, its tokens go back to the start
 * of the store, and it starts again; 202 as soon as it runs again (the documents come back as it catches up).
 * 409 when another instance of the context holds segments of the processor (stop the others first).
 */
@RestController
class ProjectionAdminController {

    private static final Logger log = LoggerFactory.getLogger(ProjectionAdminController.class);

    private final EventProcessingConfiguration processing;

    ProjectionAdminController(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    @PostMapping("/admin/projection/replay")
    synchronized ResponseEntity<?> replay() {
        String name = OrderProjection.PROCESSING_GROUP;
        StreamingEventProcessor processor = processing.eventProcessor(name, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no streaming processor " + name));
        processor.shutDown();
        try {
            processor.resetTokens();
        } catch (UnableToClaimTokenException claimedElsewhere) {
            processor.start();
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                    "another instance holds segments of processor '" + name + "': " + claimedElsewhere.getMessage());
            return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
        }
        processor.start();
        log.info("projection replay started");
        return ResponseEntity.accepted().body(Map.of("processor", name, "status", "replaying"));
    }
}
