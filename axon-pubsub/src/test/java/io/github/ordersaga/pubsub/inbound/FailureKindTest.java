package io.github.ordersaga.pubsub.inbound;

import io.github.ordersaga.pubsub.message.PubSubMessageConverter.UnreadableMessageException;
import io.grpc.Status;
import jakarta.persistence.PersistenceException;
import org.axonframework.commandhandling.NoHandlerForCommandException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** The rule that decides whether a failed message waits (infrastructure), is dead-lettered (invalid), or is retried a while. */
class FailureKindTest {

    @Test
    void aDatabaseThatIsDownLockedOrUnreachableIsInfrastructureHoweverDeeplyWrapped() {
        assertThat(FailureKind.of(new CannotCreateTransactionException("no connection",
                new PersistenceException(new SQLTransientConnectionException("pool timed out"))))).isEqualTo(FailureKind.INFRASTRUCTURE);
        assertThat(FailureKind.of(new EventStoreException("append failed",
                new SQLNonTransientConnectionException("Connection is broken", "90067")))).isEqualTo(FailureKind.INFRASTRUCTURE);
        assertThat(FailureKind.of(new PersistenceException(new SQLException("I/O error", "08006")))).isEqualTo(FailureKind.INFRASTRUCTURE);
        assertThat(FailureKind.of(new SQLException("deadlock detected", "40P01"))).isEqualTo(FailureKind.INFRASTRUCTURE);
        assertThat(FailureKind.of(new SQLException("Timeout trying to lock table", "HYT00"))).isEqualTo(FailureKind.INFRASTRUCTURE);
        assertThat(FailureKind.of(new org.axonframework.common.lock.LockAcquisitionFailedException("saga locked")))
                .isEqualTo(FailureKind.INFRASTRUCTURE);
    }

    @Test
    void firestoreOrPubSubUnreachableIsInfrastructureButARefusalIsNot() {
        assertThat(FailureKind.of(new RuntimeException(Status.UNAVAILABLE.asRuntimeException()))).isEqualTo(FailureKind.INFRASTRUCTURE);
        assertThat(FailureKind.of(Status.DEADLINE_EXCEEDED.asRuntimeException())).isEqualTo(FailureKind.INFRASTRUCTURE);
        assertThat(FailureKind.of(Status.INVALID_ARGUMENT.asRuntimeException())).isEqualTo(FailureKind.OTHER);
    }

    @Test
    void dataThatCanNeverBeHandledIsInvalidEvenWhenAStoreSaidSo() {
        assertThat(FailureKind.of(new UnreadableMessageException("field 'uuid' is not a UUID"))).isEqualTo(FailureKind.INVALID);
        assertThat(FailureKind.of(new NoHandlerForCommandException("no handler"))).isEqualTo(FailureKind.INVALID);
        assertThat(FailureKind.of(new DataIntegrityViolationException("too long",
                new SQLException("Value too long for column", "22001")))).isEqualTo(FailureKind.INVALID);
    }

    @Test
    void anythingElseIsOtherAndIsRetriedABoundedNumberOfTimes() {
        assertThat(FailureKind.of(new IllegalStateException("the note exploded"))).isEqualTo(FailureKind.OTHER);
        assertThat(FailureKind.of(new NullPointerException())).isEqualTo(FailureKind.OTHER);
        // An IOException, but no outage: held for ever it would stall its subscription.
        assertThat(FailureKind.of(new RuntimeException(new com.fasterxml.jackson.core.JsonParseException(null, "bad"))))
                .isEqualTo(FailureKind.OTHER);
        assertThat(FailureKind.of(new java.net.ConnectException("refused"))).isEqualTo(FailureKind.INFRASTRUCTURE);
        assertThat(FailureKind.of(new SQLException("duplicate key", "23505"))).isEqualTo(FailureKind.OTHER);
        // Already retried 20 times at once by the inbox handler: what outlasts that is no outage.
        assertThat(FailureKind.of(new ConcurrencyException("sequence taken"))).isEqualTo(FailureKind.OTHER);
    }
}
