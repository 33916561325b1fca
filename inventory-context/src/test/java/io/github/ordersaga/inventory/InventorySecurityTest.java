package io.github.ordersaga.inventory;

import io.github.ordersaga.testsupport.EdgeTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.github.ordersaga.testsupport.EdgeClient.assertProblem;
import static io.github.ordersaga.testsupport.EdgeClient.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inventory context's HTTP edge: its operator endpoints (items, projection replay, actuator beyond health) need
 * the operator token; a body over the limit is a 413, an admin body that is not JSON a 415, each a problem document.
 */
class InventorySecurityTest extends EdgeTest {

    @Test
    void definingAndRestockingAnItemNeedTheOperatorToken() throws Exception {
        String item = "/admin/items/sec-" + UUID.randomUUID().toString().substring(0, 8);
        String definition = "{\"stock\":5,\"price_per_unit\":3}";

        assertUnauthorized(http.send("PUT", item, definition, "application/json", null));
        assertUnauthorized(http.send("PUT", item, definition, "application/json", "Bearer wrong-token"));
        assertUnauthorized(http.send("POST", item + "/restock", "{\"quantity\":2}", "application/json", null));
        assertThat(http.send("PUT", item, definition, "application/json", BEARER).statusCode()).isEqualTo(201);
        assertThat(http.send("POST", item + "/restock", "{\"quantity\":2}", "application/json", BEARER).statusCode())
                .isEqualTo(204);
    }

    @Test
    void theReplayAndTheActuatorBeyondHealthNeedTheOperatorToken() throws Exception {
        assertTheReplayAndTheActuatorNeedTheToken();
    }

    @Test
    void aBodyOverTheLimitIsA413() throws Exception {
        String big = "{\"quantity\":2,\"pad\":\"" + "x".repeat(20_000) + "\"}";
        assertProblem(http.send("POST", "/admin/items/widget/restock", big, "application/json", BEARER), 413);
    }

    /** The item endpoints declare no media type: JSON-only comes from the shared edge. */
    @Test
    void anAdminBodyThatIsNotJsonIsA415() throws Exception {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "application/*"}) {
            assertThat(assertProblem(http.send("POST", "/admin/items/widget/restock", "{\"quantity\":2}", type, BEARER), 415)
                    .get("field").asText()).isEqualTo("Content-Type");
        }
    }
}
