package io.github.ordersaga.gateway.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ordersaga.gateway.order.OrderService;
import io.github.ordersaga.gateway.query.ReadModel;
import io.github.ordersaga.gateway.query.ReadModel.ReadModelUnavailableException;
import io.github.ordersaga.http.HttpEdgeAutoConfiguration;
import io.github.ordersaga.http.ProblemsAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.embedded.EmbeddedWebServerFactoryCustomizerAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.HttpEncodingAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.MultipartAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.when;

/**
 * Every refusal is a problem document, including the ones Tomcat or Spring make before a controller runs. A real
 * Tomcat with only the web layer (no Pub/Sub, no Firestore: the services behind the controllers are mocks), and the
 * gateway's application.yml.
 */
@SpringBootTest(classes = ErrorResponsesTest.WebLayer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ErrorResponsesTest {

    @Configuration
    @ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, ServletWebServerFactoryAutoConfiguration.class,
            EmbeddedWebServerFactoryCustomizerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
            WebMvcAutoConfiguration.class, ErrorMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
            JacksonAutoConfiguration.class, HttpEncodingAutoConfiguration.class, MultipartAutoConfiguration.class,
            HttpEdgeAutoConfiguration.class, ProblemsAutoConfiguration.class})
    @Import({OrderController.class, ReadController.class, GatewayProblems.class})
    static class WebLayer {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    int port;
    @MockitoBean
    ReadModel readModel;
    @MockitoBean
    OrderService orders;

    // --- refused by Tomcat before any servlet: HTML before

    @Test
    void anEncodedSlashOrNulInThePathIsAProblem() throws Exception {
        assertProblem(send("GET", "/orders/a%2fb", null, null, null), 400);
        assertProblem(send("GET", "/inventory/a%00b", null, null, null), 400);
        assertProblem(send("GET", "/invoices/..%5c..%5cx", null, null, null), 400);
    }

    @Test
    void aHeaderOverTheSizeLimitIsAProblem() throws Exception {
        assertProblem(send("GET", "/inventory", null, null, "x".repeat(10_000)), 400);
    }

    // --- sendError of Tomcat or Spring, forwarded to /error: Boot's own JSON, an empty body or a 500 before

    @Test
    void traceIsAProblem() throws Exception {
        assertProblem(send("TRACE", "/order", null, null, null), 405);
    }

    @Test
    void webInfAndAWrongMethodOnTheWelcomePageAreProblems() throws Exception {
        assertProblem(send("GET", "/WEB-INF/web.xml", null, null, null), 404);
        assertProblem(send("DELETE", "/index.html", null, null, null), 405);
    }

    @Test
    void errorAskedForDirectlyIsA404NotA500() throws Exception {
        assertProblem(send("POST", "/error", "{}", "application/json", null), 404);
        assertProblem(send("GET", "/error", null, null, null), 404);
    }

    // --- Spring MVC's own refusals with an Accept header it cannot parse: an empty body before

    @Test
    void anUnparseableAcceptHeaderStillGetsAProblem() throws Exception {
        assertProblem(sendWithAccept("GET", "/inventory", "a/b/c"), 406);
        assertProblem(sendWithAccept("GET", "/nowhere", ";"), 404);
        assertProblem(sendWithAccept("GET", "/orders?user=", "*/*;q=abc"), 400);
    }

    // --- bodies

    @Test
    void multipartWithoutABoundaryIsA415NotA500() throws Exception {
        assertProblem(send("POST", "/order", "abc", "multipart/form-data", null), 415);
    }

    @Test
    void aWildcardContentTypeIsNotJson() throws Exception {
        for (String type : new String[] {"*/*", "application/*", "*"}) {
            assertProblem(send("POST", "/order", "{\"item\":\"widget\",\"quantity\":5,\"user\":\"jack\"}", type, null), 415);
        }
    }

    @Test
    void aBodyOverTheLimitOnAnyPathIsRefusedAtOnceAndEndsTheConnection() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/inventory"))
                .method("PUT", HttpRequest.BodyPublishers.ofByteArray(new byte[100_000])).build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(response, 413);
    }

    /**
     * A big chunked body: read to its end before the 413, so the client, still sending, gets the answer (Tomcat
     * alone drops the connection after swallowing 2 MB: the reliability suite saw resets), then the connection ends.
     */
    @Test
    void aBigChunkedBodyIsReadToTheEndAndAnswered413ThenTheConnectionEnds() throws Exception {
        byte[] body = new byte[5 * 1024 * 1024];
        for (String path : new String[] {"/inventory", "/order", "/inventory", "/order", "/orders/x"}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path))
                    .method("POST", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertProblem(response, 413);
            assertThat(response.headers().firstValue("Connection")).contains("close");
        }
        assertThat(send("GET", "/nowhere", null, null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void aSmallChunkedOrderIsReadAsUsual() throws Exception {
        when(orders.place(any(), any())).thenReturn(new OrderService.Accepted("5b0b1f7e-0000-4000-8000-000000000002", false));
        byte[] order = "{\"item\":\"widget\",\"quantity\":5,\"user\":\"jack\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/order"))
                .method("POST", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(order)))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(202);
    }

    // --- operator endpoints (module http-edge): this web layer has no operator token configured

    @Test
    void anOperatorPathWithoutAConfiguredTokenIsRefusedSayingHowToSetOne() throws Exception {
        for (String path : new String[] {"/admin/projection/replay", "/actuator/env", "/sagas"}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer x")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertProblem(response, 401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(JSON.readTree(response.body()).get("detail").asText()).contains("ORDERSAGA_OPERATOR_TOKEN");
        }
    }

    // --- ambiguous repeats: Spring joins them with a comma into one valid value (202 or 200 before)

    @Test
    void twoIdempotencyKeysAreRefused() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/order")).header("Content-Type", "application/json")
                .header("Idempotency-Key", "a").header("Idempotency-Key", "b")
                .POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"widget\",\"quantity\":5,\"user\":\"jack\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(response, 400);
        assertThat(JSON.readTree(response.body()).get("field").asText()).isEqualTo("Idempotency-Key");
    }

    @Test
    void twoUsersAreRefused() throws Exception {
        when(readModel.ordersOf(anyString(), anyInt(), any())).thenReturn(new ReadModel.OrdersPage(java.util.List.of(), null));
        HttpResponse<String> response = send("GET", "/orders?user=jack&user=jill", null, null, null);
        assertProblem(response, 400);
        assertThat(JSON.readTree(response.body()).get("field").asText()).isEqualTo("user");
    }

    @Test
    void aUserThatWasNotValidUtf8IsRefused() throws Exception {
        when(readModel.ordersOf(anyString(), anyInt(), any())).thenReturn(new ReadModel.OrdersPage(java.util.List.of(), null));
        assertProblem(send("GET", "/orders?user=%FF", null, null, null), 400);
    }

    // --- the read model unavailable

    @Test
    void readsAre503WithRetryAfterWhileTheReadModelIsUnavailable() throws Exception {
        ReadModelUnavailableException unavailable = new ReadModelUnavailableException(new TimeoutException());
        when(readModel.document(anyString(), anyString())).thenThrow(unavailable);
        when(readModel.all(anyString())).thenThrow(unavailable);
        when(readModel.ordersOf(anyString(), anyInt(), any())).thenThrow(unavailable);

        for (String path : new String[] {"/orders/x", "/orders?user=jack", "/inventory", "/inventory/widget", "/invoices/x"}) {
            HttpResponse<String> response = send("GET", path, null, null, null);
            assertProblem(response, 503);
            assertThat(JSON.readTree(response.body()).get("type").asText()).isEqualTo("/problems/unavailable");
            assertThat(response.headers().firstValue("Retry-After")).as(path).isPresent();
            assertThat(JSON.readTree(response.body()).get("detail").asText()).as(path).contains("read model");
        }
    }

    @Test
    void anOrderIsStillTakenWhileTheReadModelIsUnavailable() throws Exception {
        when(readModel.all(anyString())).thenThrow(new ReadModelUnavailableException(new TimeoutException()));
        when(orders.place(any(), any())).thenReturn(new OrderService.Accepted("5b0b1f7e-0000-4000-8000-000000000001", false));

        HttpResponse<String> response = send("POST", "/order", "{\"item\":\"widget\",\"quantity\":5,\"user\":\"jack\"}",
                "application/json", null);

        assertThat(response.statusCode()).isEqualTo(202);
    }

    // --- helpers

    private HttpResponse<String> send(String method, String path, String body, String contentType, String bigHeader) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        Optional.ofNullable(contentType).ifPresent(t -> request.header("Content-Type", t));
        Optional.ofNullable(bigHeader).ifPresent(h -> request.header("X-Big", h));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> sendWithAccept(String method, String path, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Accept", accept).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    static void assertProblem(HttpResponse<String> response, int status) throws IOException {
        String request = response.request().method() + " " + response.request().uri();
        assertThat(response.statusCode()).as(request + " -> " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(request)
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).as(request).isEqualTo(status);
        assertThat(problem.hasNonNull("title")).as(request).isTrue();
        assertThat(problem.hasNonNull("detail")).as(request).isTrue();
        assertThat(problem.get("type").asText()).as(request).startsWith("/problems/");
    }
}
