package io.github.ordersaga.system;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * A Zipkin-compatible span collector for the system tests: takes what the services export ({@code POST /api/v2/spans},
 * Zipkin's JSON v2) and keeps a few fields of each span by trace, so that no Zipkin server is needed in CI.
 */
final class ZipkinCollector implements AutoCloseable {

    /** One span as Zipkin has it: its service, name, ids, parent (null for a root) and tags. */
    record Span(String service, String name, String traceId, String id, String parentId, Map<String, String> tags) {
    }

    private final HttpServer server;
    private final Map<String, List<Span>> byTrace = new ConcurrentHashMap<>();

    ZipkinCollector() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v2/spans", this::accept);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "zipkin-collector");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v2/spans";
    }

    /** Where a Zipkin server's UI would be; nothing answers there (the page's trace links are checked, not followed). */
    String viewer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/zipkin/";
    }

    List<Span> trace(String traceId) {
        return List.copyOf(byTrace.getOrDefault(traceId, List.of()));
    }

    private void accept(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            for (JsonNode span : Http.JSON.readTree(body)) {
                String traceId = span.path("traceId").asText();
                byTrace.computeIfAbsent(traceId, t -> new CopyOnWriteArrayList<>()).add(new Span(
                        span.path("localEndpoint").path("serviceName").asText(), span.path("name").asText(), traceId,
                        span.path("id").asText(), span.hasNonNull("parentId") ? span.get("parentId").asText() : null,
                        Http.JSON.convertValue(span.path("tags"), new TypeReference<Map<String, String>>() { })));
            }
            exchange.sendResponseHeaders(202, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
