package io.github.ordersaga.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plain HTTP requests to one service on 127.0.0.1, with a browser's Accept header, for the tests of the HTTP edge
 * every service shares (module http-edge): a refusal must be a problem document whatever the client accepts.
 */
public final class EdgeClient {

    /** What a browser accepts: a refusal must still be a problem document, not an HTML page. */
    public static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final int port;

    public EdgeClient(int port) {
        this.port = port;
    }

    /** {@code body}, {@code contentType} and {@code authorization} may be null: not sent. */
    public HttpResponse<String> send(String method, String path, String body, String contentType, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Accept", BROWSER_ACCEPT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A 401 problem asking for a bearer token; returns it. */
    public static JsonNode assertUnauthorized(HttpResponse<String> response) throws IOException {
        JsonNode problem = assertProblem(response, 401);
        if (!response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer")) {
            throw new AssertionError(describe(response) + ": no WWW-Authenticate: Bearer");
        }
        return problem;
    }

    /** An {@code application/problem+json} document of this status; returns it. */
    public static JsonNode assertProblem(HttpResponse<String> response, int status) throws IOException {
        if (response.statusCode() != status) {
            throw new AssertionError(describe(response) + ": expected " + status);
        }
        if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            throw new AssertionError(describe(response) + ": not application/problem+json");
        }
        JsonNode problem = JSON.readTree(response.body());
        if (problem.path("status").asInt() != status || !problem.hasNonNull("title") || !problem.hasNonNull("detail")) {
            throw new AssertionError(describe(response) + ": not a problem with status, title and detail");
        }
        if (!problem.path("type").asText().startsWith("/problems/")) {
            throw new AssertionError(describe(response) + ": not a type of the problem catalogue");
        }
        return problem;
    }

    private static String describe(HttpResponse<String> response) {
        return response.request().method() + " " + response.request().uri() + " -> " + response.statusCode() + " "
                + response.headers().firstValue("Content-Type").orElse("(no type)") + " " + response.body();
    }
}
