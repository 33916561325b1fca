package io.github.ordersaga.payment;

import io.github.ordersaga.testsupport.EdgeTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.github.ordersaga.testsupport.EdgeClient.assertProblem;
import static io.github.ordersaga.testsupport.EdgeClient.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The payment context's HTTP edge: its operator endpoints (credit limits, projection replay, actuator beyond health)
 * need the operator token; a body over the limit is a 413, an admin body that is not JSON a 415, each a problem
 * document.
 */
class PaymentSecurityTest extends EdgeTest {

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
    void theReplayAndTheActuatorBeyondHealthNeedTheOperatorToken() throws Exception {
        assertTheReplayAndTheActuatorNeedTheToken();
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
