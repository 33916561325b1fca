package io.github.ordersaga.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.testsupport.PubSubProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The original sample's README, replayed against the real services: its three successful orders, its two
 * failures, and what a person pulling payment-created-sub and error-cli-sub sees.
 */
@ExtendWith(LocalSystem.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SampleScenariosTest {

    private static final Duration SETTLE = Duration.ofSeconds(60);
    private PubSubProbe pubsub;

    @BeforeAll
    void connect() throws Exception {
        pubsub = new PubSubProbe(LocalSystem.PUBSUB, LocalSystem.PROJECT);
    }

    @AfterAll
    void disconnect() throws Exception {
        pubsub.close();
    }

    @Test
    void widget50ByJackCompletesWithAnInvoiceOf500() {
        long before = Orders.available("widget");

        String uuid = Http.placeOrder("{\"item\":\"widget\",\"quantity\":50,\"user\":\"jack\"}");

        assertThat(Orders.awaitTerminal(uuid, SETTLE).get("status").asText()).isEqualTo("COMPLETED");
        Orders.awaitAvailable("widget", before - 50);
        JsonNode invoice = Http.get(LocalSystem.GATEWAY + "/invoices/" + uuid).orElseThrow();
        assertThat(invoice.get("total_invoice").asLong()).isEqualTo(500);
        assertThat(invoice.get("status").asText()).isEqualTo("PAID");
        JsonNode paid = dataOf(pulled("payment-created-sub", uuid));
        assertThat(paid.get("status").asText()).isEqualTo("PAID");
        assertThat(paid.get("total_invoice").asLong()).isEqualTo(500);
        assertThat(paid.get("price_per_unit").asLong()).isEqualTo(10);
    }

    @Test
    void wotsit80ByJillCompletesWithAnInvoiceOf1200() {
        long before = Orders.available("wotsit");

        String uuid = Http.placeOrder("{\"item\":\"wotsit\",\"quantity\":80,\"user\":\"jill\"}");

        assertThat(Orders.awaitTerminal(uuid, SETTLE).get("status").asText()).isEqualTo("COMPLETED");
        Orders.awaitAvailable("wotsit", before - 80);
        assertThat(Http.get(LocalSystem.GATEWAY + "/invoices/" + uuid).orElseThrow().get("total_invoice").asLong()).isEqualTo(1200);
        assertThat(dataOf(pulled("payment-created-sub", uuid)).get("total_invoice").asLong()).isEqualTo(1200);
    }

    @Test
    void aSimulatedPaymentErrorCancelsTheOrderAndGivesTheStockBack() {
        long before = Orders.available("wotsit");

        String uuid = Http.placeOrder("{\"item\":\"wotsit\",\"quantity\":80,\"user\":\"jill\",\"payment-error\":true}");

        JsonNode order = Orders.awaitTerminal(uuid, SETTLE);
        assertThat(order.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(order.get("reason").asText()).contains("simulated payment error");
        Orders.awaitAvailable("wotsit", before);
        assertThat(Http.get(LocalSystem.GATEWAY + "/invoices/" + uuid).map(i -> i.get("status").asText()).orElse("none"))
                .isNotEqualTo("PAID");
        JsonNode error = dataOf(pulled("error-cli-sub", uuid));
        assertThat(error.get("status").asText()).isEqualTo("PAYMENT_REJECTED");
        assertThat(error.get("reason").asText()).contains("simulated payment error");
    }

    @Test
    void wotsit500000IsMoreThanTheStockAndIsCancelled() {
        long before = Orders.available("wotsit");

        String uuid = Http.placeOrder("{\"item\":\"wotsit\",\"quantity\":500000,\"user\":\"jill\"}");

        JsonNode order = Orders.awaitTerminal(uuid, SETTLE);
        assertThat(order.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(order.get("reason").asText()).contains("not enough stock");
        assertThat(Orders.available("wotsit")).isEqualTo(before);
        JsonNode error = dataOf(pulled("error-cli-sub", uuid));
        assertThat(error.get("status").asText()).isEqualTo("STOCK_REJECTED");
    }

    @Test
    void anUnknownUserIsRejectedWithTheReasonAndTakesNoStock() {
        long before = Orders.available("widget");

        String uuid = Http.placeOrder("{\"item\":\"widget\",\"quantity\":5,\"user\":\"nobody\"}");

        JsonNode order = Orders.awaitTerminal(uuid, SETTLE);
        assertThat(order.get("status").asText()).isEqualTo("REJECTED");
        assertThat(order.get("reason").asText()).contains("unknown user");
        assertThat(Orders.available("widget")).isEqualTo(before);
        assertThat(dataOf(pulled("error-cli-sub", uuid)).get("status").asText()).isEqualTo("REJECTED");
    }

    @Test
    void anUnknownItemIsCancelledWithTheReason() {
        String uuid = Http.placeOrder("{\"item\":\"unobtainium\",\"quantity\":5,\"user\":\"jack\"}");

        JsonNode order = Orders.awaitTerminal(uuid, SETTLE);
        assertThat(order.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(order.get("reason").asText()).contains("unknown item");
        assertThat(Http.get(LocalSystem.GATEWAY + "/inventory/unobtainium")).isEmpty();
    }

    private PubsubMessage pulled(String subscription, String uuid) {
        List<PubsubMessage> messages = pubsub.pull(subscription, 1, Duration.ofSeconds(30),
                m -> m.getData().toStringUtf8().contains(uuid));
        assertThat(messages).as("a message about %s on %s", uuid, subscription).isNotEmpty();
        return messages.get(0);
    }

    private static JsonNode dataOf(PubsubMessage message) {
        return Http.read(message.getData().toStringUtf8());
    }

}
