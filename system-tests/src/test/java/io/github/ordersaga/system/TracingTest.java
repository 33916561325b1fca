package io.github.ordersaga.system;

import io.github.ordersaga.system.ZipkinCollector.Span;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One order, one trace, over the real services: {@link LocalSystem} points their span export at a
 * {@link ZipkinCollector}. The order is placed with a {@code traceparent} of the test's own, so its trace is known;
 * every span of it must hang from that one (a hop that dropped the context would start a trace of its own, and the
 * services after it would be missing here).
 */
@ExtendWith(LocalSystem.class)
class TracingTest {

    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final Set<String> ALL_SERVICES =
            Set.of("frontend-gateway", "order-context", "inventory-context", "payment-context", "janitor-saga");

    @Test
    void aCompletedOrderIsOneTraceThroughEveryService() throws Exception {
        String traceId = newTraceId();
        String uuid = placeOrder("{\"item\":\"widget\",\"quantity\":1,\"user\":\"jack\"}", traceId);
        assertThat(Orders.awaitTerminal(uuid, SETTLE).get("status").asText()).isEqualTo("COMPLETED");

        await().atMost(SETTLE).untilAsserted(() -> {
            List<Span> trace = LocalSystem.spans().trace(traceId);
            assertThat(servicesOf(trace)).containsAll(ALL_SERVICES);
            assertThat(names(trace, "frontend-gateway")).contains(spans("http post /order", "PubSub.publish frontend(PlaceOrder)"));
            assertThat(names(trace, "order-context")).contains(spans("PubSub.receive frontend-sub(PlaceOrder)",
                    "CommandBus.handleCommand(PlaceOrder)", "PubSub.publish order-created(OrderCreated)",
                    "PubSub.publish order-status(OrderCompleted)"));
            assertThat(names(trace, "inventory-context")).contains(spans("PubSub.receive order-created-sub(OrderCreated)",
                    "PubSub.publish inventory-updated(StockReserved)"));
            assertThat(names(trace, "payment-context")).contains(spans("PubSub.receive inventory-updated-sub(StockReserved)",
                    "PubSub.publish payment-created(PaymentCreated)"));
            assertThat(names(trace, "janitor-saga")).contains(spans("PubSub.receive janitor-order-created-sub(OrderCreated)"))
                    .anyMatch(name -> name.startsWith("sagamanager."));
            assertConnected(trace);
            // What the page's trace link asks Zipkin for (annotationQuery=axon_aggregate_identifier=<order id>).
            assertThat(trace).filteredOn(span -> span.service().equals("order-context"))
                    .anyMatch(span -> uuid.equals(span.tags().get("axon_aggregate_identifier")));
        });
    }

    @Test
    void aCompensatedOrdersTraceHoldsTheCompensations() throws Exception {
        String traceId = newTraceId();
        String uuid = placeOrder("{\"item\":\"wotsit\",\"quantity\":1,\"user\":\"jill\",\"payment-error\":true}", traceId);
        assertThat(Orders.awaitTerminal(uuid, SETTLE).get("status").asText()).isEqualTo("CANCELLED");

        await().atMost(SETTLE).untilAsserted(() -> {
            List<Span> trace = LocalSystem.spans().trace(traceId);
            assertThat(servicesOf(trace)).containsAll(ALL_SERVICES);
            assertThat(names(trace, "payment-context")).contains(spans("PubSub.publish error(PaymentRejected)"));
            assertThat(names(trace, "janitor-saga")).contains(spans("PubSub.receive error-sub(PaymentRejected)",
                    "PubSub.publish order-commands(CancelOrder)", "PubSub.publish inventory-commands(ReleaseStock)"));
            assertThat(names(trace, "order-context")).contains(spans("PubSub.receive order-commands-sub(CancelOrder)",
                    "CommandBus.handleCommand(CancelOrder)"));
            assertThat(names(trace, "inventory-context")).contains(spans("PubSub.receive inventory-commands-sub(ReleaseStock)",
                    "CommandBus.handleCommand(ReleaseStock)"));
            assertConnected(trace);
        });
    }

    /** Every span's parent is in the trace, but for the gateway's request span, whose parent is the test's. */
    private static void assertConnected(List<Span> trace) {
        Set<String> ids = trace.stream().map(Span::id).collect(Collectors.toSet());
        assertThat(trace).filteredOn(span -> span.parentId() == null || !ids.contains(span.parentId()))
                .extracting(Span::name).containsOnly("http post /order");
    }

    private static Set<String> servicesOf(List<Span> trace) {
        return trace.stream().map(Span::service).collect(Collectors.toSet());
    }

    /** The names of a service's spans in the trace, lowercased as Zipkin has them. */
    private static List<String> names(List<Span> trace, String service) {
        return trace.stream().filter(span -> span.service().equals(service)).map(Span::name).toList();
    }

    /** Span names as the services give them, lowercased as Zipkin stores them. */
    private static String[] spans(String... names) {
        return Arrays.stream(names).map(name -> name.toLowerCase(Locale.ROOT)).toArray(String[]::new);
    }

    private static String newTraceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** POSTs the order as part of the trace {@code traceId}, sampled, and returns its uuid. */
    private static String placeOrder(String json, String traceId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(LocalSystem.GATEWAY + "/order"))
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + traceId + "-" + traceId.substring(0, 16) + "-01")
                .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return Http.read(response.body()).get("uuid").asText();
    }
}
