package io.github.ordersaga.order;

import io.github.ordersaga.testsupport.EdgeTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.github.ordersaga.testsupport.EdgeClient.assertProblem;
import static io.github.ordersaga.testsupport.EdgeClient.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order context's HTTP edge: its operator endpoints (admin, projection replay, actuator beyond health) need the
 * operator token; a body over the limit is a 413, an admin body that is not JSON a 415, each a problem document.
 */
class OrderSecurityTest extends EdgeTest {

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
    void theReplayAndTheActuatorBeyondHealthNeedTheOperatorToken() throws Exception {
        assertThat(http.send("GET", "/actuator/health/ping", null, null, null).statusCode()).isNotEqualTo(401);
        assertOperatorOnly("GET", "/actuator");
        assertOperatorOnly("GET", "/actuator/health/../pubsub");
        assertTheReplayAndTheActuatorNeedTheToken();
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
