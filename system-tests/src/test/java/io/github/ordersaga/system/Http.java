package io.github.ordersaga.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The few HTTP calls the system tests make, as a person would with curl. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    static HttpResponse<String> post(String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** An operator's PUT (the admin endpoints): with the operator token. */
    static HttpResponse<String> put(String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + LocalSystem.operatorToken())
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** An operator's GET (the actuator beyond health): with the operator token; the body as text. */
    static HttpResponse<String> operatorGet(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + LocalSystem.operatorToken()).GET());
    }

    static Optional<JsonNode> get(String url) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)).GET());
        return response.statusCode() == 200 ? Optional.of(read(response.body())) : Optional.empty();
    }

    /** POSTs an order to the gateway and returns its uuid. */
    static String placeOrder(String json) {
        HttpResponse<String> response = post(LocalSystem.GATEWAY + "/order", json);
        if (response.statusCode() != 202) {
            throw new AssertionError("order not accepted: " + response.statusCode() + " " + response.body());
        }
        return read(response.body()).get("uuid").asText();
    }

    static String order(String item, int quantity, String user, Map<String, Object> extra) {
        StringBuilder json = new StringBuilder("{\"item\":\"" + item + "\",\"quantity\":" + quantity + ",\"user\":\"" + user + "\"");
        extra.forEach((k, v) -> json.append(",\"").append(k).append("\":").append(v));
        return json.append('}').toString();
    }

    static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
