package io.github.ordersaga.inventory.web;

import io.github.ordersaga.inventory.query.InventoryProjection;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import java.util.Map;

/**
 * {@code POST /admin/projection/replay}: rebuilds the {@code inventory} collection from this context's event store.
 * Stops the projection processor, resets its tokens (its reset handler clears the collection), starts it again and
 * answers 202 at once; the documents come back as the processor catches up.
 */
@RestController
public class ProjectionAdminController {

    private static final Logger log = LoggerFactory.getLogger(ProjectionAdminController.class);

    private final Configuration axon;

    public ProjectionAdminController(Configuration axon) {
        this.axon = axon;
    }

    @PostMapping("/admin/projection/replay")
    public synchronized ResponseEntity<Map<String, String>> replay() {
        StreamingEventProcessor processor = axon.eventProcessingConfiguration()
                .eventProcessor(InventoryProjection.PROCESSING_GROUP, StreamingEventProcessor.class)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.CONFLICT,
                        "the projection is disabled in this instance (ordersaga.projection.enabled=false)"));
        processor.shutDown();
        try {
            processor.resetTokens();
        } finally {
            processor.start(); // also after a failed reset: the projection must keep running
        }
        log.info("Projection '{}' reset; replaying the event store into collection '{}'",
                InventoryProjection.PROCESSING_GROUP, InventoryProjection.COLLECTION);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of(
                "processor", InventoryProjection.PROCESSING_GROUP,
                "collection", InventoryProjection.COLLECTION,
                "status", "replaying"));
    }
}
