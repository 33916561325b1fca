package io.github.ordersaga.gateway.order;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ordersaga.pubsub.outbound.PubSubPublishing;
import io.github.ordersaga.testsupport.WithEmulators;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.when;

/**
 * POST /order while Pub/Sub does not store the order (a publish that never completes): the gateway answers 503 with
 * Retry-After after its send timeout, not after the outbox's longer publish timeout, and has accepted nothing.
 */
@WithEmulators
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:gateway-publish-timeout;DB_CLOSE_DELAY=-1",
        "axon.pubsub.commands.send-timeout=500ms",
        "axon.pubsub.outbound.publish-timeout=20s"})
class PublishTimeoutTest {

    private static final String ORDER = "{\"item\":\"widget\",\"quantity\":1,\"user\":\"jack\"}";

    @MockitoBean
    PubSubPublishing publishing;
    @LocalServerPort
    int port;
    private final CompletableFuture<String> neverStored = new CompletableFuture<>();

    @BeforeEach
    void pubSubNeverAnswers() {
        when(publishing.publish(anyString(), any())).thenReturn(neverStored);
    }

    @Test
    void anOrderNotStoredInTimeIs503WithRetryAfterAndNothingIsAccepted() throws Exception {
        String key = UUID.randomUUID().toString();
        long start = System.nanoTime();
        HttpResponse<String> response = post(key);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(new ObjectMapper().readTree(response.body()).path("detail").asText()).contains("nothing was accepted");
        assertThat(took).as("the send timeout (500 ms), not the outbox's 20 s").isLessThan(Duration.ofSeconds(5));
        assertThat(neverStored.isCancelled()).as("the publish given up").isTrue();

        // Nothing was accepted: the same request with the same key is tried again, not answered as a repeat.
        assertThat(post(key).statusCode()).isEqualTo(503);
    }

    private HttpResponse<String> post(String idempotencyKey) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/order"))
                .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(ORDER)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
