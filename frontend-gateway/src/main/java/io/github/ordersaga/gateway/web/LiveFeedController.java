package io.github.ordersaga.gateway.web;

import io.github.ordersaga.gateway.live.LiveFeed;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code GET /events}: what the page shows live, as server-sent events. */
@Tag(name = "live", description = "What the page shows live")
@RestController
public class LiveFeedController {

    private final LiveFeed feed;

    public LiveFeedController(LiveFeed feed) {
        this.feed = feed;
    }

    @Operation(summary = "Live feed (server-sent events)", description = """
            First the page's settings ('settings': trace_viewer, the URL of the trace viewer, or null), then the
            current state, then every change, each a named event with a JSON object as data:
            'order' (an order document: uuid, item, quantity, user, status, reason, created_at, updated_at),
            'success' (a PaymentCreated from payment-created) and 'failure' (an OrderRejected,
            StockReservationRejected or PaymentRejected from error): type, uuid, status, reason, message_id,
            ordering_key, publish_time, subscription and the message's JSON data;
            'stock' (an inventory document: item, available, reserved, price_per_unit; or item and removed=true),
            'sagas' (the janitor's open sagas: available, open, sagas[], server_time; or available=false and error),
            'chart' (one point of the live chart, every few seconds, the last ten minutes' first: time, seconds,
            completed, cancelled, rejected and each as _per_second, p50_ms and p99_ms from POST to the terminal state,
            null when nothing settled).""",
            responses = {@ApiResponse(responseCode = "200", content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                    schema = @Schema(type = "string", description = "event: <name>, data: <JSON object>, one per change"))),
                    @ApiResponse(responseCode = "503", description = "Too many streams open (from this address, or in all); "
                            + "retry after Retry-After")})
    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter events(HttpServletRequest request) {
        return feed.subscribe(request.getRemoteAddr());
    }
}
