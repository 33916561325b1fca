package io.github.ordersaga.pubsub.inbound;

import com.google.api.gax.rpc.ApiException;
import io.github.ordersaga.pubsub.message.PubSubMessageConverter.UnreadableMessageException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.axonframework.commandhandling.NoHandlerForCommandException;
import org.axonframework.common.AxonTransientException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.io.IOException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Why handling a message failed, which decides what becomes of it. Only a message that can never succeed is
 * dead-lettered at once; one that met an infrastructure failure (its store down or locked, Firestore or Pub/Sub
 * unreachable, a timeout) is valid and must wait for as long as the failure lasts, never be dead-lettered for it.
 */
public enum FailureKind {

    /** Can never succeed: unreadable, invalid under the published language, or no handler for it. Dead-lettered at once. */
    INVALID,
    /** The store, Firestore or Pub/Sub is down, locked or slow. Held and retried until it succeeds. */
    INFRASTRUCTURE,
    /** Anything else (a bug, a rule that throws): redelivered a bounded number of times, then dead-lettered. */
    OTHER;

    /** SQLSTATE classes: connection, transaction rollback (deadlock, serialization), resources, operator, system. */
    private static final Set<String> INFRASTRUCTURE_SQL_STATES = Set.of("08", "40", "53", "57", "58", "HY");
    private static final Set<Status.Code> INFRASTRUCTURE_GRPC_CODES = Set.of(Status.Code.UNAVAILABLE,
            Status.Code.DEADLINE_EXCEEDED, Status.Code.ABORTED, Status.Code.RESOURCE_EXHAUSTED, Status.Code.INTERNAL,
            Status.Code.UNKNOWN, Status.Code.CANCELLED);

    /** The kind of a failure, from everything in its cause chain: a sign of invalid data anywhere wins. */
    public static FailureKind of(Throwable failure) {
        FailureKind kind = OTHER;
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 64; t = t.getCause(), depth++) {
            if (isInvalid(t)) {
                return INVALID;
            }
            if (isInfrastructure(t)) {
                kind = INFRASTRUCTURE;
            }
        }
        return kind;
    }

    private static boolean isInvalid(Throwable t) {
        return t instanceof UnreadableMessageException || t instanceof NoHandlerForCommandException
                || t instanceof IllegalArgumentException
                // SQLSTATE class 22, a data exception (a value too long, out of range): the same data fails again
                || t instanceof SQLDataException
                || t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22");
    }

    private static boolean isInfrastructure(Throwable t) {
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState();
            return t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException
                    || state != null && state.length() >= 2 && INFRASTRUCTURE_SQL_STATES.contains(state.substring(0, 2));
        }
        if (t instanceof StatusRuntimeException grpc) {
            return INFRASTRUCTURE_GRPC_CODES.contains(grpc.getStatus().getCode());
        }
        if (t instanceof ApiException api) {
            return api.isRetryable() || INFRASTRUCTURE_GRPC_CODES.contains(Status.Code.valueOf(api.getStatusCode().getCode().name()));
        }
        // Axon's lock timeouts and deadlocks pass; a concurrent change of the aggregate is retried at once by the
        // inbox handler (InboundMessageHandler), and one that outlasts those retries is no outage: bounded, as OTHER.
        return t instanceof AxonTransientException && !(t instanceof ConcurrencyException) || t instanceof TransientDataAccessException
                || t instanceof RecoverableDataAccessException || t instanceof DataAccessResourceFailureException
                || t instanceof CannotCreateTransactionException
                || t instanceof jakarta.persistence.LockTimeoutException || t instanceof jakarta.persistence.PessimisticLockException
                || t instanceof jakarta.persistence.QueryTimeoutException
                || t instanceof TimeoutException
                // Jackson's exceptions are IOExceptions too, but a payload that will not (de)serialize is no outage.
                || t instanceof IOException && !(t instanceof com.fasterxml.jackson.core.JacksonException);
    }
}
