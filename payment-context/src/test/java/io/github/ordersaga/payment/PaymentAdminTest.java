package io.github.ordersaga.payment;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import io.github.ordersaga.api.payment.CreateInvoice;
import io.github.ordersaga.firestore.ProjectionWriter;
import io.github.ordersaga.payment.reference.ReferenceData;
import io.github.ordersaga.testsupport.WithEmulators;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The payment context's admin side: reference credit, credit limits over HTTP, bad input, projection replay. */
@WithEmulators
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:payment-admin-${random.uuid};DB_CLOSE_DELAY=-1",
        "ordersaga.operator-token=" + PaymentAdminTest.OPERATOR_TOKEN})
class PaymentAdminTest {

    static final String OPERATOR_TOKEN = "payment-admin-test-token";

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    private TestRestTemplate http;
    @Autowired
    private Firestore firestore;
    @Autowired
    private CommandGateway commands;
    @Autowired
    private ReferenceData referenceData;
    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void theReferenceCreditCoversTheSampleOrdersAndRunningItAgainStoresNothing() {
        String id = UUID.randomUUID().toString();
        commands.sendAndWait(new CreateInvoice(id, "jill", "wotsit", 50, 15, false));
        assertThat(awaitInvoice(id).getString("status")).isEqualTo("PAID");
        long events = storedEvents();

        referenceData.run(new DefaultApplicationArguments());

        assertThat(storedEvents()).isEqualTo(events);
    }

    @Test
    void aCreditLimitSetOverHttpDecidesTheNextInvoices() {
        String user = "user-" + UUID.randomUUID().toString().substring(0, 8);

        ResponseEntity<Map> response = put("/admin/accounts/" + user + "/credit-limit", "{\"credit_limit\":100}");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody()).containsEntry("user", user).containsEntry("credit_limit", 100);
        assertThat(invoice(user, 10, 10)).isEqualTo("PAID");
        assertThat(invoice(user, 1, 1)).isEqualTo("REJECTED");
        put("/admin/accounts/" + user + "/credit-limit", "{\"credit_limit\":101}");
        assertThat(invoice(user, 1, 1)).isEqualTo("PAID");
    }

    @ParameterizedTest(name = "{0} {1} → 400 naming {2}")
    @CsvSource(delimiter = '|', value = {
            "bad-input-user | {}                            | credit_limit",
            "bad-input-user | {\"credit_limit\":null}       | credit_limit",
            "bad-input-user | {\"credit_limit\":-1}         | credit_limit",
            "bad-input-user | {\"credit_limit\":1.5}        | credit_limit",
            "bad-input-user | {\"credit_limit\":\"100\"}    | credit_limit",
            "bad-input-user | {\"credit_limit\":1000000000001} | credit_limit",
            "bad-input-user | {\"credit_limit\":99999999999999999999999} | credit_limit",
            "bad-input-user | [100]                         | body",
            "bad-input-user | {\"credit_limit\":             | body",
            "__x__          | {\"credit_limit\":100}        | user",
            "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu | {\"credit_limit\":100} | user",
    })
    void badInputIsRefusedWithAProblemNamingTheField(String user, String body, String field) {
        long events = storedEvents();

        ResponseEntity<Map> response = put("/admin/accounts/" + user + "/credit-limit", body);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getBody()).containsEntry("field", field).containsEntry("status", 400)
                .containsEntry("type", "body".equals(field) ? "/problems/malformed-body" : "/problems/invalid-input");
        assertThat(storedEvents()).isEqualTo(events);
    }

    @Test
    void aReplayRebuildsTheInvoicesFromTheEventStore() throws Exception {
        String id = UUID.randomUUID().toString();
        commands.sendAndWait(new CreateInvoice(id, "jack", "widget", 3, 10, true));
        Map<String, Object> invoice = await().atMost(WAIT).until(() -> read(id),
                d -> d.exists() && "REJECTED".equals(d.getString("status"))).getData();
        firestore.collection("invoices").document(id).delete().get(); // the read model is lost

        ResponseEntity<Map> response = http.postForEntity("/admin/projection/replay", new HttpEntity<>(operatorHeaders()), Map.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(awaitInvoice(id).getData()).containsAllEntriesOf(invoice).containsKey(ProjectionWriter.REPLAY);
    }

    /** Invoices an order of the user and returns the invoice's status once projected. */
    private String invoice(String user, int quantity, long price) {
        String id = UUID.randomUUID().toString();
        commands.sendAndWait(new CreateInvoice(id, user, "widget", quantity, price, false));
        return awaitInvoice(id).getString("status");
    }

    private ResponseEntity<Map> put(String path, String body) {
        HttpHeaders headers = operatorHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return http.exchange(path, HttpMethod.PUT, new HttpEntity<>(body, headers), Map.class);
    }

    private static HttpHeaders operatorHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(OPERATOR_TOKEN);
        return headers;
    }

    private DocumentSnapshot awaitInvoice(String id) {
        return await().atMost(WAIT).until(() -> read(id), DocumentSnapshot::exists);
    }

    private DocumentSnapshot read(String id) throws Exception {
        return firestore.collection("invoices").document(id).get().get();
    }

    private long storedEvents() {
        return jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);
    }
}
