package io.github.ordersaga.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Grafana dashboard in deploy/grafana queries only what the running services serve: every metric name in its
 * PromQL is on at least one service's {@code /actuator/prometheus}, once an order went through.
 */
@ExtendWith(LocalSystem.class)
class MetricsTest {

    static final Path DASHBOARD = LocalSystem.ROOT.resolve("deploy/grafana/ordersaga-dashboard.json");
    static final List<String> SERVICES = List.of(LocalSystem.GATEWAY, "http://127.0.0.1:8081", LocalSystem.INVENTORY,
            LocalSystem.PAYMENT, LocalSystem.JANITOR);

    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset");

    @Test
    void everyMetricTheDashboardQueriesIsOnAServicesPrometheusEndpoint() throws IOException {
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : Http.JSON.readTree(Files.readString(DASHBOARD)).path("panels")) {
            panel.path("targets").forEach(target -> queried.addAll(metricNames(target.path("expr").asText())));
        }
        assertThat(queried).as("names read from the dashboard's queries")
                .contains("ordersaga_gateway_order_latency_seconds_bucket", "pubsub_inbound_dead_lettered_total",
                        "eventProcessor_latency", "ordersaga_janitor_sagas_open");

        // One order through every service, and its saga ended: each kind of series now exists.
        String uuid = Http.placeOrder(Http.order("widget", 1, "jack", java.util.Map.of()));
        Orders.awaitTerminal(uuid, Duration.ofSeconds(60));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Set<String> served = new TreeSet<>();
            SERVICES.forEach(service -> served.addAll(scrape(service)));
            Set<String> missing = new TreeSet<>(queried);
            missing.removeAll(served);
            assertThat(missing).as("queried by the dashboard, on no service's /actuator/prometheus").isEmpty();
        });
    }

    @Test
    void metricNamesAreReadFromPromQlWithoutFunctionsLabelsOrRanges() {
        assertThat(metricNames("histogram_quantile(0.99, sum by (le, topic) (rate(pubsub_outbound_lag_seconds_bucket{topic=\"a b\"}[5m])))"))
                .containsExactly("pubsub_outbound_lag_seconds_bucket");
        assertThat(metricNames("sum(rate(x_bucket{le=\"0.15\"}[5m])) / sum without (job) (rate(x_count[5m])) > bool 0"))
                .containsExactlyInAnyOrder("x_bucket", "x_count");
    }

    /** The metric names in a PromQL expression: identifiers that are no function, keyword, label or range. */
    static Set<String> metricNames(String promql) {
        String bare = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"") // strings
                .replaceAll("\\{[^}]*}", "") // label matchers
                .replaceAll("\\[[^]]*]", "") // ranges
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", ""); // label lists
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String rest = bare.substring(identifier.end()).stripLeading();
            boolean partOfNumber = identifier.start() > 0 && Character.isDigit(bare.charAt(identifier.start() - 1));
            if (!rest.startsWith("(") && !KEYWORDS.contains(identifier.group()) && !partOfNumber) {
                names.add(identifier.group());
            }
        }
        return names;
    }

    private static Set<String> scrape(String service) {
        HttpResponse<String> response = Http.operatorGet(service + "/actuator/prometheus");
        assertThat(response.statusCode()).as(service + "/actuator/prometheus").isEqualTo(200);
        Set<String> names = new TreeSet<>();
        response.body().lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }
}
