package io.github.ordersaga.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** No oversell: 200 orders at once on an item whose stock covers exactly 100 of them. */
@ExtendWith(LocalSystem.class)
class ConcurrentOrdersTest {

    @Test
    void exactly100Of200ConcurrentOrdersCompleteAndTheStockEndsAtZero() throws Exception {
        String item = "gadget-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(Http.put(LocalSystem.INVENTORY + "/admin/items/" + item, "{\"stock\":100,\"price_per_unit\":1}").statusCode())
                .isBetween(200, 299);
        Orders.awaitAvailable(item, 100);

        List<String> uuids;
        ExecutorService clients = Executors.newFixedThreadPool(32);
        try {
            List<Future<String>> posted = IntStream.range(0, 200)
                    .mapToObj(i -> clients.submit(() -> Http.placeOrder("{\"item\":\"" + item + "\",\"quantity\":1,\"user\":\""
                            + (i % 2 == 0 ? "jack" : "jill") + "\"}")))
                    .toList();
            uuids = posted.stream().map(ConcurrentOrdersTest::get).toList();
        } finally {
            clients.shutdownNow();
        }

        List<JsonNode> settled = uuids.stream().map(uuid -> Orders.awaitTerminal(uuid, Duration.ofMinutes(3))).toList();
        Map<String, Long> byStatus = settled.stream().collect(Collectors.groupingBy(o -> o.get("status").asText(), Collectors.counting()));
        assertThat(byStatus).containsEntry("COMPLETED", 100L).containsEntry("CANCELLED", 100L);
        assertThat(settled).filteredOn(o -> o.get("status").asText().equals("CANCELLED"))
                .allSatisfy(o -> assertThat(o.get("reason").asText()).contains("not enough stock"));
        Orders.awaitAvailable(item, 0);
        assertThat(settled).filteredOn(o -> o.get("status").asText().equals("COMPLETED"))
                .allSatisfy(o -> assertThat(Http.get(LocalSystem.GATEWAY + "/invoices/" + o.get("uuid").asText()).orElseThrow()
                        .get("status").asText()).isEqualTo("PAID"));
    }

    private static String get(Future<String> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
