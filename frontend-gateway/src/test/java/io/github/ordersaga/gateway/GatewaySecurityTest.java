package io.github.ordersaga.gateway;

import io.github.ordersaga.testsupport.EdgeClient;
import io.github.ordersaga.testsupport.WithEmulators;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static io.github.ordersaga.testsupport.EdgeClient.assertProblem;
import static io.github.ordersaga.testsupport.EdgeClient.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's HTTP edge over real HTTP: the actuator beyond health and the projection replay need the operator
 * token; health, the page and the public API do not; a body over the limit is a 413 problem on any path.
 */
@WithEmulators
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:gateway-security;DB_CLOSE_DELAY=-1",
        "ordersaga.operator-token=" + GatewaySecurityTest.TOKEN})
class GatewaySecurityTest {

    static final String TOKEN = "gateway-security-test-token";
    private static final String BEARER = "Bearer " + TOKEN;

    @LocalServerPort
    int port;
    private EdgeClient http;

    @BeforeEach
    void client() {
        http = new EdgeClient(port);
    }

    @Test
    void theActuatorBeyondHealthAndTheReplayNeedTheOperatorTokenAndHealthThePageAndTheApiDoNot() throws Exception {
        assertThat(http.send("GET", "/actuator/health", null, null, null).body()).contains("\"status\":\"UP\"");
        assertThat(http.send("GET", "/", null, null, null).statusCode()).isEqualTo(200);
        assertThat(http.send("POST", "/order", "{\"item\":\"widget\",\"quantity\":1,\"user\":\"jack\"}", "application/json", null)
                .statusCode()).isEqualTo(202);
        for (String[] endpoint : new String[][] {{"GET", "/actuator/pubsub"}, {"GET", "/actuator/info"}, {"GET", "/actuator"},
                {"POST", "/admin/projection/replay"}}) {
            assertUnauthorized(http.send(endpoint[0], endpoint[1], null, null, null));
            assertUnauthorized(http.send(endpoint[0], endpoint[1], null, null, "Bearer wrong-token"));
        }
        assertThat(http.send("GET", "/actuator/pubsub", null, null, BEARER).statusCode()).isEqualTo(200);
        assertThat(http.send("GET", "/actuator/info", null, null, BEARER).statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyOverTheLimitIsA413() throws Exception {
        String big = "{\"item\":\"widget\",\"quantity\":1,\"user\":\"jack\",\"pad\":\"" + "x".repeat(20_000) + "\"}";
        assertProblem(http.send("POST", "/order", big, "application/json", null), 413);
        assertProblem(http.send("POST", "/actuator/pubsub", big, "application/json", BEARER), 413);
    }
}
