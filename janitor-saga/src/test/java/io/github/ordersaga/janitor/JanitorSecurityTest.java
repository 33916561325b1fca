package io.github.ordersaga.janitor;

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
 * The janitor's HTTP edge over real HTTP: {@code GET /sagas} and the actuator beyond health need the operator token,
 * health does not; a body over the limit is a 413 problem.
 */
@WithEmulators
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:janitor-security-${random.uuid};DB_CLOSE_DELAY=-1",
        "ordersaga.operator-token=" + JanitorSecurityTest.TOKEN})
class JanitorSecurityTest {

    static final String TOKEN = "janitor-security-test-token";
    private static final String BEARER = "Bearer " + TOKEN;

    @LocalServerPort
    int port;
    private EdgeClient http;

    @BeforeEach
    void client() {
        http = new EdgeClient(port);
    }

    @Test
    void theOpenSagasAndTheActuatorBeyondHealthNeedTheOperatorTokenAndHealthDoesNot() throws Exception {
        assertThat(http.send("GET", "/actuator/health", null, null, null).body()).contains("\"status\":\"UP\"");
        for (String path : new String[] {"/sagas", "/sagas/", "/actuator/pubsub", "/actuator/info"}) {
            assertUnauthorized(http.send("GET", path, null, null, null));
            assertUnauthorized(http.send("GET", path, null, null, "Bearer wrong-token"));
        }
        assertThat(http.send("GET", "/sagas", null, null, BEARER).body()).contains("\"open\"");
        assertThat(http.send("GET", "/actuator/pubsub", null, null, BEARER).statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyOverTheLimitIsA413() throws Exception {
        assertProblem(http.send("POST", "/sagas", "x".repeat(20_000), "application/json", BEARER), 413);
    }
}
