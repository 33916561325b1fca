package io.github.ordersaga.gateway;

import io.github.ordersaga.testsupport.EdgeTest;
import org.junit.jupiter.api.Test;

import static io.github.ordersaga.testsupport.EdgeClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's HTTP edge: the actuator beyond health and the projection replay need the operator token; the page
 * and the public API do not; a body over the limit is a 413 problem on any path.
 */
class GatewaySecurityTest extends EdgeTest {

    @Test
    void theActuatorBeyondHealthAndTheReplayNeedTheOperatorTokenAndThePageAndTheApiDoNot() throws Exception {
        assertThat(http.send("GET", "/", null, null, null).statusCode()).isEqualTo(200);
        assertThat(http.send("POST", "/order", "{\"item\":\"widget\",\"quantity\":1,\"user\":\"jack\"}", "application/json", null)
                .statusCode()).isEqualTo(202);
        for (String[] endpoint : new String[][] {{"GET", "/actuator/pubsub"}, {"GET", "/actuator/info"}, {"GET", "/actuator"},
                {"POST", "/admin/projection/replay"}}) {
            assertOperatorOnly(endpoint[0], endpoint[1]);
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
