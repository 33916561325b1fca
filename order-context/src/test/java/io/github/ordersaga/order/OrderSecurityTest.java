package io.github.ordersaga.order;

import io.github.ordersaga.testsupport.EdgeClient;
import io.github.ordersaga.testsupport.WithEmulators;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.util.UUID;

import static io.github.ordersaga.testsupport.EdgeClient.assertProblem;
import static io.github.ordersaga.testsupport.EdgeClient.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order context's HTTP edge over real HTTP: its operator endpoints (admin, projection replay, actuator beyond
 * health) need the operator token, health does not; a body over the limit is a 413, an admin body that is not JSON a
 * 415, each a problem document.
 */
@WithEmulators
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:order-security-${random.uuid};DB_CLOSE_DELAY=-1",
        "ordersaga.operator-token=" + OrderSecurityTest.TOKEN})
class OrderSecurityTest {

    static final String TOKEN = "order-security-test-token";
    private static final String BEARER = "Bearer " + TOKEN;

    @LocalServerPort
    int port;
    private EdgeClient http;

    @BeforeEach
    void client() {
        http = new EdgeClient(port);
    }

    @Test
    void registeringAUserNeedsTheOperatorToken() throws Exception {
        String user = "{\"user\":\"sec-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"address\":\"1 safe street\"}";

        assertUnauthorized(http.send("POST", "/admin/users", user, "application/json", null));
        assertUnauthorized(http.send("POST", "/admin/users", user, "application/json", "Bearer wrong-token"));
        assertUnauthorized(http.send("POST", "/admin/users", user, "application/json", "Basic " + TOKEN));
        assertUnauthorized(http.send("POST", "/ADMIN//users", user, "application/json", null)); // another spelling
        assertThat(http.send("POST", "/admin/users", user, "application/json", BEARER).statusCode()).isEqualTo(200);
    }

    @Test
    void theReplayAndTheActuatorBeyondHealthNeedTheOperatorTokenAndHealthDoesNot() throws Exception {
        assertThat(http.send("GET", "/actuator/health", null, null, null).body()).contains("\"status\":\"UP\"");
        assertThat(http.send("GET", "/actuator/health/ping", null, null, null).statusCode()).isNotEqualTo(401);
        for (String[] endpoint : new String[][] {{"POST", "/admin/projection/replay"}, {"GET", "/actuator/pubsub"},
                {"GET", "/actuator/info"}, {"GET", "/actuator"}, {"GET", "/actuator/health/../pubsub"}}) {
            assertUnauthorized(http.send(endpoint[0], endpoint[1], null, null, null));
            assertUnauthorized(http.send(endpoint[0], endpoint[1], null, null, "Bearer wrong-token"));
        }
        assertThat(http.send("GET", "/actuator/pubsub", null, null, BEARER).statusCode()).isEqualTo(200);
        assertThat(http.send("POST", "/admin/projection/replay", null, null, BEARER).statusCode()).isEqualTo(202);
    }

    @Test
    void aBodyOverTheLimitIsA413() throws Exception {
        String big = "{\"user\":\"big\",\"address\":\"" + "x".repeat(20_000) + "\"}";
        assertProblem(http.send("POST", "/admin/users", big, "application/json", BEARER), 413);
        assertProblem(http.send("POST", "/admin/users", big, "application/json", null), 413);
    }

    @Test
    void anAdminBodyThatIsNotJsonIsA415() throws Exception {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "application/*"}) {
            assertThat(assertProblem(http.send("POST", "/admin/users", "{\"user\":\"x\",\"address\":\"x\"}", type, BEARER), 415)
                    .get("field").asText()).isEqualTo("Content-Type");
        }
    }
}
