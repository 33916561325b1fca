package io.github.ordersaga.janitor;

import io.github.ordersaga.testsupport.EdgeTest;
import org.junit.jupiter.api.Test;

import static io.github.ordersaga.testsupport.EdgeClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The janitor's HTTP edge: {@code GET /sagas} and the actuator beyond health need the operator token; a body over
 * the limit is a 413 problem.
 */
class JanitorSecurityTest extends EdgeTest {

    @Test
    void theOpenSagasAndTheActuatorBeyondHealthNeedTheOperatorToken() throws Exception {
        for (String path : new String[] {"/sagas", "/sagas/", "/actuator/pubsub", "/actuator/info"}) {
            assertOperatorOnly("GET", path);
        }
        assertThat(http.send("GET", "/sagas", null, null, BEARER).body()).contains("\"open\"");
        assertThat(http.send("GET", "/actuator/pubsub", null, null, BEARER).statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyOverTheLimitIsA413() throws Exception {
        assertProblem(http.send("POST", "/sagas", "x".repeat(20_000), "application/json", BEARER), 413);
    }
}
