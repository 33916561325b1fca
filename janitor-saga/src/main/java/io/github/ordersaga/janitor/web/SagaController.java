package io.github.ordersaga.janitor.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/** {@code GET /sagas}: how many orders the janitor is still watching, and where each of them is. */
@RestController
public class SagaController {

    /** The answer: the count and, oldest first, one entry per open saga. Field names are snake_case, like the wire. */
    public record OpenSagasResponse(int open, List<Entry> sagas) {
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

    @GetMapping(path = "/sagas", produces = "application/json")
    public OpenSagasResponse sagas() {
        List<Entry> entries = openSagas.list().stream()
                .map(s -> new Entry(s.orderId(), s.stage().name(), s.age().toSeconds(), s.startedAt(), s.reason()))
                .toList();
        return new OpenSagasResponse(entries.size(), entries);
    }
}
