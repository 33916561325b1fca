package io.github.ordersaga.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.net.http.HttpResponse;

import static io.github.ordersaga.testsupport.EdgeClient.assertUnauthorized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A service's HTTP edge (module http-edge) over real HTTP: the whole service on a random port, with the emulators,
 * an H2 database of its own and the operator token {@link #TOKEN}. Each service's edge test extends this; the tests
 * here hold for every service.
 */
@WithEmulators
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:edge-${random.uuid};DB_CLOSE_DELAY=-1",
        "ordersaga.operator-token=" + EdgeTest.TOKEN,
        // Spring Boot's tests turn metrics export off by default; the edge serves it, so it is on here.
        "management.prometheus.metrics.export.enabled=true"})
public abstract class EdgeTest {

    public static final String TOKEN = "edge-test-token";
    protected static final String BEARER = "Bearer " + TOKEN;
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    protected int port;
    protected EdgeClient http;

    @BeforeEach
    protected void client() {
        http = new EdgeClient(port);
    }

    @Test
    public void healthNeedsNoToken() throws Exception {
        assertTrue(http.send("GET", "/actuator/health", null, null, null).body().contains("\"status\":\"UP\""));
    }

    /** Prometheus scrapes with the operator token; the bridge's and Axon's meters are there from the start. */
    @Test
    public void prometheusNeedsTheTokenAndServesTheBridgesAndAxonsMeters() throws Exception {
        assertOperatorOnly("GET", "/actuator/prometheus");
        HttpResponse<String> scrape = http.send("GET", "/actuator/prometheus", null, null, BEARER);
        assertEquals(200, scrape.statusCode(), scrape::body);
        assertTrue(scrape.body().contains("pubsub_inbound_pulled_total{"), "the bridge's meters");
    }

    /** A problem's type is a URI relative to the service, which describes it there to anyone, as GET /problems does. */
    @Test
    public void aProblemsTypeResolvesToItsDescription() throws Exception {
        JsonNode problem = assertUnauthorized(http.send("GET", "/actuator/info", null, null, null));
        String type = problem.path("type").asText();
        assertEquals("/problems/unauthorized", type);

        HttpResponse<String> described = http.send("GET", type, null, null, null);
        assertEquals(200, described.statusCode(), described::body);
        JsonNode description = JSON.readTree(described.body());
        assertEquals(problem.get("title").asText(), description.path("title").asText());
        assertEquals(401, description.path("status").asInt());

        HttpResponse<String> all = http.send("GET", "/problems", null, null, null);
        assertEquals(200, all.statusCode(), all::body);
        assertTrue(JSON.readTree(all.body()).findValuesAsText("type").contains(type), all::body);
    }

    /** A context's projection replay and its actuator beyond health: refused without the token, served with it. */
    protected void assertTheReplayAndTheActuatorNeedTheToken() throws Exception {
        for (String[] endpoint : new String[][] {{"POST", "/admin/projection/replay"}, {"GET", "/actuator/pubsub"},
                {"GET", "/actuator/info"}}) {
            assertOperatorOnly(endpoint[0], endpoint[1]);
        }
        assertEquals(200, http.send("GET", "/actuator/pubsub", null, null, BEARER).statusCode());
        assertEquals(202, http.send("POST", "/admin/projection/replay", null, null, BEARER).statusCode());
    }

    /** An operator endpoint: refused without the token and with another one. */
    protected void assertOperatorOnly(String method, String path) throws Exception {
        assertUnauthorized(http.send(method, path, null, null, null));
        assertUnauthorized(http.send(method, path, null, null, "Bearer wrong-token"));
    }
}
