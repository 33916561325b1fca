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

        assertThat(writer.apply("orders", id, 5, Map.of("status", "CREATED", "quantity", 50))).isTrue();
        assertThat(writer.apply("orders", id, 7, Map.of("status", "COMPLETED"))).isTrue();
        assertThat(writer.apply("orders", id, 7, Map.of("status", "REPEATED"))).isFalse();
        assertThat(writer.apply("orders", id, 6, Map.of("status", "STOCK_RESERVED"))).isFalse();

        DocumentSnapshot document = firestore.collection("orders").document(id).get().get();
        assertThat(document.getString("status")).isEqualTo("COMPLETED");
        assertThat(document.getLong("quantity")).isEqualTo(50);
        assertThat(document.getLong(ProjectionWriter.LAST_APPLIED)).isEqualTo(7);
    }

    @Test
    void clearEmptiesACollectionForAReplay() throws Exception {
        String collection = "replay-" + UUID.randomUUID();
        writer.apply(collection, "a", 1, Map.of("x", 1));
        writer.apply(collection, "b", 2, Map.of("x", 2));

        writer.clear(collection);

        assertThat(firestore.collection(collection).get().get().isEmpty()).isTrue();
    }
}
