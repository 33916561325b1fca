package io.github.ordersaga.firestore;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import io.github.ordersaga.testsupport.Emulators;
import io.github.ordersaga.testsupport.WithEmulators;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Idempotent projection writes against the real Firestore emulator. */
@WithEmulators
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectionWriterTest {

    private Firestore firestore;
    private ProjectionWriter writer;

    @BeforeAll
    void connect(Emulators emulators) {
        firestore = FirestoreOptions.newBuilder().setProjectId(emulators.projectId())
                .setEmulatorHost(emulators.firestoreHost()).build().getService();
        writer = new ProjectionWriter(firestore);
    }

    @AfterAll
    void close() throws Exception {
        firestore.close();
    }

    @Test
    void aDocumentIgnoresAnEventItAlreadyAppliedOrAnOlderOne() throws Exception {
        String id = UUID.randomUUID().toString();

        assertThat(writer.apply("orders", id, 5, "e1", Map.of("status", "CREATED", "quantity", 50))).isTrue();
        assertThat(writer.apply("orders", id, 7, "e3", Map.of("status", "COMPLETED"))).isTrue();
        assertThat(writer.apply("orders", id, 7, "e3", Map.of("status", "REPEATED"))).isFalse();
        assertThat(writer.apply("orders", id, 6, "e2", Map.of("status", "STOCK_RESERVED"))).isFalse();

        DocumentSnapshot document = firestore.collection("orders").document(id).get().get();
        assertThat(document.getString("status")).isEqualTo("COMPLETED");
        assertThat(document.getLong("quantity")).isEqualTo(50);
        assertThat(document.getLong(ProjectionWriter.LAST_APPLIED)).isEqualTo(7);
    }

    /**
     * Events of one transaction that committed after later ones were read fill a gap, and all get the token's
     * position, the highest index read: each is applied once, in order (the reliability suite's concurrency
     * scenario once left an item's document at the first of 11 such reservations).
     */
    @Test
    void eventsThatShareAPositionAreEachAppliedOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        assertThat(writer.apply("inventory", id, 10, "defined", Map.of("available", 50))).isTrue();

        for (int n = 1; n <= 17; n++) {
            assertThat(writer.apply("inventory", id, 40, "reserved-" + n, Map.of("available", 50 - n))).as("event %d", n).isTrue();
        }
        assertThat(writer.apply("inventory", id, 40, "reserved-3", Map.of("available", 47))).as("a repeat").isFalse();
        assertThat(writer.apply("inventory", id, 39, "older", Map.of("available", 99))).as("an older one").isFalse();

        DocumentSnapshot document = firestore.collection("inventory").document(id).get().get();
        assertThat(document.getLong("available")).isEqualTo(33);
        assertThat(writer.apply("inventory", id, 41, "released", Map.of("available", 34))).isTrue();
        document = firestore.collection("inventory").document(id).get().get();
        assertThat(document.getLong("available")).isEqualTo(34);
        assertThat(document.get(ProjectionWriter.APPLIED_EVENTS)).isEqualTo(List.of("released"));
    }

    @Test
    void clearEmptiesACollectionForAReplay() throws Exception {
        String collection = "replay-" + UUID.randomUUID();
        writer.apply(collection, "a", 1, "e1", Map.of("x", 1));
        writer.apply(collection, "b", 2, "e2", Map.of("x", 2));

        writer.clear(collection);

        assertThat(firestore.collection(collection).get().get().isEmpty()).isTrue();
    }
}
