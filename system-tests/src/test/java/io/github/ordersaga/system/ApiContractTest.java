package io.github.ordersaga.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's OpenAPI schemas describe documents the controllers pass through from Firestore: here real answers, from
 * the real projections after the sample's four orders, are held against them, so that a projection adding or renaming
 * a field fails here until the description says so.
 */
@ExtendWith(LocalSystem.class)
class ApiContractTest {

    private final JsonNode schemas = Http.get(LocalSystem.GATEWAY + "/openapi").orElseThrow().at("/components/schemas");

    @Test
    void realAnswersToTheSamplesOrdersFitTheirSchemas() {
        List<String> bodies = List.of(
                Http.order("widget", 50, "jack", Map.of()),
                Http.order("wotsit", 80, "jill", Map.of()),
                Http.order("wotsit", 80, "jill", Map.of("payment-error", true)),
                Http.order("wotsit", 500000, "jill", Map.of()));
        for (String body : bodies) {
            JsonNode accepted = Http.read(Http.post(LocalSystem.GATEWAY + "/order", body).body());
            assertFits(accepted, "OrderAccepted");
            String uuid = accepted.get("uuid").asText();
            assertFits(Orders.awaitTerminal(uuid, Duration.ofSeconds(60)), "Order");
            Http.get(LocalSystem.GATEWAY + "/invoices/" + uuid).ifPresent(invoice -> assertFits(invoice, "Invoice"));
        }
        Http.get(LocalSystem.GATEWAY + "/orders?user=jill&limit=5").orElseThrow().forEach(order -> assertFits(order, "Order"));
        Http.get(LocalSystem.GATEWAY + "/inventory").orElseThrow().forEach(item -> assertFits(item, "Item"));
        assertFits(Http.read(Http.post(LocalSystem.GATEWAY + "/order", "{}").body()), "Problem");
    }

    /** Every field is a property of the schema, of its type, and within its listed values where it lists some. */
    private void assertFits(JsonNode document, String schemaName) {
        JsonNode properties = schemas.at("/" + schemaName + "/properties");
        assertThat(properties.isMissingNode()).as("schema %s", schemaName).isFalse();
        Set<String> unknown = new HashSet<>();
        document.fields().forEachRemaining(field -> {
            JsonNode property = properties.get(field.getKey());
            if (property == null) {
                unknown.add(field.getKey());
                return;
            }
            String type = property.has("type") ? property.get("type").asText() : property.path("types").path(0).asText();
            JsonNode value = field.getValue();
            boolean typed = switch (type) {
                case "string" -> value.isTextual();
                case "integer" -> value.isIntegralNumber();
                case "boolean" -> value.isBoolean();
                default -> true;
            };
            assertThat(typed).as("%s.%s is %s: %s", schemaName, field.getKey(), type, value).isTrue();
            if (property.has("enum")) {
                List<String> allowed = new java.util.ArrayList<>();
                property.get("enum").forEach(v -> allowed.add(v.asText()));
                assertThat(allowed).as("%s.%s", schemaName, field.getKey()).contains(value.asText());
            }
        });
        assertThat(unknown).as("fields of a real %s that its schema does not name: %s", schemaName, document).isEmpty();
    }
}
