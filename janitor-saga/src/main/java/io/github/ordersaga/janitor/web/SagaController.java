package io.github.ordersaga.janitor.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.ordersaga.http.ProblemException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/** {@code GET /sagas}: how many orders the janitor is still watching, and where each of them is. */
@RestController
public class SagaController {

    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 500;

    /**
     * The answer: how many sagas are open, and one page of them (oldest first within the page); {@code next}, when
     * more follow, is the {@code after} of the next page. Field names are snake_case, like the wire.
     */
    public record OpenSagasResponse(long open, List<Entry> sagas, String next) {
    }

    /**
     * @param uuid       the order
     * @param stage      the saga's {@link io.github.ordersaga.janitor.saga.OrderSaga.Stage}
     * @param ageSeconds whole seconds since the janitor received the saga's first event
     * @param startedAt  when the janitor received the saga's first event
     * @param reason     why the order is being compensated; {@code null} unless compensating
     */
    public record Entry(String uuid, String stage, @JsonProperty("age_seconds") long ageSeconds,
                        @JsonProperty("started_at") Instant startedAt, String reason) {
    }

    private final OpenSagas openSagas;

    public SagaController(OpenSagas openSagas) {
        this.openSagas = openSagas;
    }

    /**
     * {@code GET /sagas[?limit=N][&after=ID]}: at most {@code limit} sagas a page (1-{@value #MAX_PAGE}, default
     * {@value #DEFAULT_PAGE}), so a page costs its own size however many orders are open.
     */
    @GetMapping(path = "/sagas", produces = "application/json")
    public OpenSagasResponse sagas(@RequestParam(defaultValue = "" + DEFAULT_PAGE) int limit,
                                   @RequestParam(required = false) String after) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw ProblemException.invalid("limit", "limit must be between 1 and " + MAX_PAGE);
        }
        OpenSagas.Page page = openSagas.page(after, limit);
        List<Entry> entries = page.sagas().stream()
                .map(s -> new Entry(s.orderId(), s.stage().name(), s.age().toSeconds(), s.startedAt(), s.reason()))
                .toList();
        return new OpenSagasResponse(openSagas.count(), entries, page.next());
    }
}
