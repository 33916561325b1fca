package io.github.ordersaga.system;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Waiting for orders and stock, through the gateway's reads, with a deadline. */
final class Orders {

    static final Set<String> TERMINAL = Set.of("COMPLETED", "CANCELLED", "REJECTED");

    private Orders() {
    }

    static JsonNode awaitTerminal(String uuid, Duration deadline) {
        return await().atMost(deadline).pollInterval(Duration.ofMillis(200))
                .until(() -> Http.get(LocalSystem.GATEWAY + "/orders/" + uuid).orElse(null),
                        order -> order != null && TERMINAL.contains(order.path("status").asText()));
    }

    static long available(String item) {
        return Http.get(LocalSystem.GATEWAY + "/inventory/" + item).orElseThrow().get("available").asLong();
    }

    static void awaitAvailable(String item, long expected) {
        // An item just defined may not be projected yet (404): that is "not yet", not a failure.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .ignoreException(java.util.NoSuchElementException.class)
                .untilAsserted(() -> assertThat(available(item)).as("available %s", item).isEqualTo(expected));
    }
}
