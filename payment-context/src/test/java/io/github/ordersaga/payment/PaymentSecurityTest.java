package io.github.ordersaga.payment;

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
 * The payment context's HTTP edge over real HTTP: its operator endpoints (credit limits, projection replay, actuator
 * beyond health) need the operator token, health does not; a body over the limit is a 413, an admin body that is
 * not JSON a 415, each a problem document.
 */
@WithEmulators
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:payment-security-${random.uuid};DB_CLOSE_DELAY=-1",
        "ordersaga.operator-token=" + PaymentSecurityTest.TOKEN})
class PaymentSecurityTest {

    static final String TOKEN = "payment-security-test-token";
    private static final String BEARER = "Bearer " + TOKEN;

    @LocalServerPort
    int port;
    private EdgeClient http;

    @BeforeEach
    void client() {
        http = new EdgeClient(port);
    }

    @Test
    void settingACreditLimitNeedsTheOperatorToken() throws Exception {
        String path = "/admin/accounts/sec-" + UUID.randomUUID().toString().substring(0, 8) + "/credit-limit";
        String limit = "{\"credit_limit\":100}";

        assertUnauthorized(http.send("PUT", path, limit, "application/json", null));
        assertUnauthorized(http.send("PUT", path, limit, "application/json", "Bearer wrong-token"));
        assertUnauthorized(http.send("PUT", path, limit, "application/json", "Bearer " + TOKEN + "x"));
        assertThat(http.send("PUT", path, limit, "application/json", BEARER).statusCode()).isEqualTo(200);
    }

    @Test
    void theReplayAndTheActuatorBeyondHealthNeedTheOperatorTokenAndHealthDoesNot() throws Exception {
        assertThat(http.send("GET", "/actuator/health", null, null, null).body()).contains("\"status\":\"UP\"");
        for (String[] endpoint : new String[][] {{"POST", "/admin/projection/replay"}, {"GET", "/actuator/pubsub"},
                {"GET", "/actuator/info"}}) {
            assertUnauthorized(http.send(endpoint[0], endpoint[1], null, null, null));
            assertUnauthorized(http.send(endpoint[0], endpoint[1], null, null, "Bearer wrong-token"));
        }
        assertThat(http.send("GET", "/actuator/pubsub", null, null, BEARER).statusCode()).isEqualTo(200);
        assertThat(http.send("POST", "/admin/projection/replay", null, null, BEARER).statusCode()).isEqualTo(202);
    }

    @Test
    void aBodyOverTheLimitIsA413() throws Exception {
        String big = "{\"credit_limit\":100,\"pad\":\"" + "x".repeat(20_000) + "\"}";
        assertProblem(http.send("PUT", "/admin/accounts/big/credit-limit", big, "application/json", BEARER), 413);
    }

    @Test
    void anAdminBodyThatIsNotJsonIsA415() throws Exception {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "application/*"}) {
            assertThat(assertProblem(http.send("PUT", "/admin/accounts/jack/credit-limit", "{\"credit_limit\":100}", type,
                    BEARER), 415).get("field").asText()).isEqualTo("Content-Type");
        }
    }
}
