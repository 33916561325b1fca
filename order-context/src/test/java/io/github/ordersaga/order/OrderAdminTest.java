package io.github.ordersaga.order;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import io.github.ordersaga.api.order.PlaceOrder;
import io.github.ordersaga.firestore.ProjectionWriter;
import io.github.ordersaga.order.reference.ReferenceData;
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

/** The order context's admin side: reference data, registering users over HTTP, bad input, projection replay. */
@WithEmulators
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:order-admin-${random.uuid};DB_CLOSE_DELAY=-1",
        "ordersaga.operator-token=" + OrderAdminTest.OPERATOR_TOKEN})
class OrderAdminTest {

    static final String OPERATOR_TOKEN = "order-admin-test-token";

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
    void theReferenceUsersAreProjectedAndRunningItAgainStoresNothing() {
        assertThat(awaitDocument("users", "jack").getString("address")).isEqualTo("123 fake street");
        assertThat(awaitDocument("users", "jill").getString("address")).isEqualTo("456 other street");
        long events = storedEvents();

        referenceData.run(new DefaultApplicationArguments());

        assertThat(storedEvents()).isEqualTo(events);
    }

    @Test
    void aUserRegisteredOverHttpIsProjectedAndMayOrder() {
        String user = "zoe-" + UUID.randomUUID().toString().substring(0, 8);

        ResponseEntity<Map> response = post("/admin/users", Map.of("user", user, "address", "1 new street"));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(awaitDocument("users", user).getString("address")).isEqualTo("1 new street");
        String orderId = UUID.randomUUID().toString();
        commands.sendAndWait(new PlaceOrder(orderId, "widget", 1, user, false));
        assertThat(awaitDocument("orders", orderId).getString("status")).isEqualTo("CREATED");
    }

    @Test
    void aNewAddressIsProjected() {
        String user = "moving-" + UUID.randomUUID().toString().substring(0, 8);
        post("/admin/users", Map.of("user", user, "address", "old street"));
        awaitDocument("users", user);

        assertThat(post("/admin/users", Map.of("user", user, "address", "new street")).getStatusCode()).isEqualTo(HttpStatus.OK);

        await().atMost(WAIT).until(() -> "new street".equals(read("users", user).getString("address")));
    }

    @ParameterizedTest(name = "{0} → 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"address\":\"x\"}                         | user",
            "{\"user\":\"\",\"address\":\"x\"}           | user",
            "{\"user\":\"a/b\",\"address\":\"x\"}        | user",
            "{\"user\":\"..\",\"address\":\"x\"}         | user",
            "{\"user\":\"a\\u0007b\",\"address\":\"x\"}  | user",
            "{\"user\":12,\"address\":\"x\"}             | user",
            "{\"user\":\"bad-input-user\"}               | address",
            "{\"user\":\"bad-input-user\",\"address\":\" \"} | address",
            "{\"user\":\"bad-input-user\",\"address\":[1]}   | address",
            "{\"user\":\"bad-input-user\",\"address\":\"x\"  | body",
            "[1,2]                                         | body",
    })
    void badInputIsRefusedWithAProblemNamingTheField(String body, String field) {
        long events = storedEvents();

        ResponseEntity<Map> response = postRaw("/admin/users", body);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getBody()).containsEntry("field", field).containsEntry("status", 400)
                .containsEntry("type", "body".equals(field) ? "/problems/malformed-body" : "/problems/invalid-input");
        assertThat(storedEvents()).isEqualTo(events);
    }

    @Test
    void aTooLongUserNameIsRefused() {
        ResponseEntity<Map> response = post("/admin/users", Map.of("user", "u".repeat(65), "address", "x"));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.getBody()).containsEntry("field", "user");
    }

    @Test
    void aReplayRebuildsTheCollectionsFromTheEventStore() throws Exception {
        String orderId = UUID.randomUUID().toString();
        commands.sendAndWait(new PlaceOrder(orderId, "wotsit", 7, "jill", false));
        Map<String, Object> order = awaitDocument("orders", orderId).getData();
        awaitDocument("users", "jack");
        // The read model is lost (say, a Firestore database restored from an old backup):
        firestore.collection("orders").document(orderId).delete().get();
        firestore.collection("users").document("jack").delete().get();

        ResponseEntity<Map> response = post("/admin/projection/replay", Map.of());

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(awaitDocument("users", "jack").getString("address")).isEqualTo("123 fake street");
        assertThat(awaitDocument("orders", orderId).getData()).containsAllEntriesOf(order).containsKey(ProjectionWriter.REPLAY);
    }

    private ResponseEntity<Map> post(String path, Map<String, ?> body) {
        return http.postForEntity(path, new HttpEntity<>(body, operatorHeaders()), Map.class);
    }

    private ResponseEntity<Map> postRaw(String path, String body) {
        return http.postForEntity(path, new HttpEntity<>(body, operatorHeaders()), Map.class);
    }

    private static HttpHeaders operatorHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setBearerAuth(OPERATOR_TOKEN);
        return headers;
    }

    private DocumentSnapshot awaitDocument(String collection, String id) {
        return await().atMost(WAIT).until(() -> read(collection, id), DocumentSnapshot::exists);
    }

    private DocumentSnapshot read(String collection, String id) throws Exception {
        return firestore.collection(collection).document(id).get().get();
    }

    private long storedEvents() {
        return jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);
    }
}
