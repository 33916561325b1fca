package io.github.ordersaga.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The probes a platform uses and the logs a person follows one order by, on the running system. */
@ExtendWith(LocalSystem.class)
class ObservabilityTest {

    private static final Map<String, String> SERVICES = Map.of("gateway", LocalSystem.GATEWAY,
            "order", "http://127.0.0.1:8081", "inventory", LocalSystem.INVENTORY, "payment", LocalSystem.PAYMENT,
            "janitor", LocalSystem.JANITOR);

    @Test
    void everyServiceIsLiveAndReadyToAProbeWithoutAToken() {
        SERVICES.forEach((name, url) -> {
            for (String probe : List.of("liveness", "readiness")) {
                // Http sends no Authorization header: 200 with UP, or empty (401, 503, ...).
                JsonNode health = await().atMost(Duration.ofSeconds(10))
                        .until(() -> Http.get(url + "/actuator/health/" + probe), java.util.Optional::isPresent).orElseThrow();
                assertThat(health.path("status").asText()).as(name + " " + probe).isEqualTo("UP");
            }
        });
    }

    @Test
    void oneOrdersLinesFromEveryServiceInTimeOrderWithLogsOrder() {
        String uuid = Http.placeOrder("{\"item\":\"widget\",\"quantity\":1,\"user\":\"jack\"}");
        assertThat(Orders.awaitTerminal(uuid, Duration.ofSeconds(60)).get("status").asText()).isEqualTo("COMPLETED");

        // The janitor hears the last event (OrderCompleted) a moment after the order's document says so.
        String printed = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1))
                .until(() -> logs("--order", uuid), out -> List.of("order", "inventory", "payment", "janitor").stream()
                        .allMatch(service -> out.lines().anyMatch(line -> line.startsWith(service + " ") && line.contains(uuid))));

        List<String> lines = printed.lines().toList();
        assertThat(lines).allSatisfy(line -> assertThat(line).matches("(gateway|order|inventory|payment|janitor) +\\| .*"));
        // Each service's own line for what it received, with the order's log context:
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("inventory").contains("OrderCreated handled")
                .contains("order=" + uuid).contains("via=order-created-sub"));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("gateway").contains("POST /order"));
        Pattern time = Pattern.compile("\\| (\\d{4}-\\d\\d-\\d\\dT[^ ]+)");
        List<String> times = lines.stream().map(time::matcher).filter(Matcher::find).map(m -> m.group(1)).toList();
        assertThat(times).hasSizeGreaterThan(4).isSorted();
    }

    private static String logs(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(LocalSystem.ROOT.resolve("bin/ordersaga").toString(), "logs"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("ORDERSAGA_LOG_DIR", LocalSystem.LOGS.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }
}
