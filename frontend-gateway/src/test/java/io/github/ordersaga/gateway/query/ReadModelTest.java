package io.github.ordersaga.gateway.query;

import com.google.api.core.SettableApiFuture;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QuerySnapshot;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.mockito.Answers;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** A stopped Firestore hangs rather than refuses: every read gives up after the timeout. */
class ReadModelTest {

    private final Firestore firestore = mock(Firestore.class, Answers.RETURNS_DEEP_STUBS);
    private final ReadModel readModel = new ReadModel(firestore, Duration.ofMillis(300));

    @Test
    void aReadThatNeverAnswersFailsAfterTheTimeoutAndIsCancelled() {
        SettableApiFuture<DocumentSnapshot> never = SettableApiFuture.create();
        when(firestore.collection("orders").document("x").get()).thenReturn(never);

        long started = System.nanoTime();
        assertThatThrownBy(() -> readModel.document("orders", "x")).isInstanceOf(ReadModel.ReadModelUnavailableException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(2));
        assertThat(never.isCancelled()).isTrue();
    }

    @Test
    void aQueryThatNeverAnswersFailsAfterTheTimeout() {
        when(firestore.collection("inventory").get()).thenReturn(SettableApiFuture.<QuerySnapshot>create());
        when(firestore.collection("orders").whereEqualTo("user", "jack")
                .orderBy("created_at", Query.Direction.DESCENDING).orderBy(FieldPath.documentId(), Query.Direction.DESCENDING)
                .limit(11).get()).thenReturn(SettableApiFuture.<QuerySnapshot>create());

        assertThatThrownBy(() -> readModel.all("inventory")).isInstanceOf(ReadModel.ReadModelUnavailableException.class);
        assertThatThrownBy(() -> readModel.ordersOf("jack", 10, null)).isInstanceOf(ReadModel.ReadModelUnavailableException.class);
    }

    /** The client cancels its calls when it shuts down: a 503 too, not a 500. */
    @Test
    void aCancelledReadIsUnavailable() {
        SettableApiFuture<DocumentSnapshot> cancelled = SettableApiFuture.create();
        cancelled.cancel(true);
        when(firestore.collection("orders").document("y").get()).thenReturn(cancelled);

        assertThatThrownBy(() -> readModel.document("orders", "y")).isInstanceOf(ReadModel.ReadModelUnavailableException.class);
    }

    @Test
    void aFailedReadIsUnavailableToo() {
        SettableApiFuture<DocumentSnapshot> failed = SettableApiFuture.create();
        failed.setException(Status.UNAVAILABLE.withDescription("connection refused").asRuntimeException());
        when(firestore.collection("invoices").document("x").get()).thenReturn(failed);

        assertThatThrownBy(() -> readModel.document("invoices", "x")).isInstanceOf(ReadModel.ReadModelUnavailableException.class);
    }
}
