package io.github.ordersaga.pubsub.inbound;

import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.pubsub.logging.LogContext;
import io.github.ordersaga.pubsub.message.Metadata;
import io.github.ordersaga.pubsub.message.PubSubMessageConverter;
import io.github.ordersaga.pubsub.tracing.PubSubSpans;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.common.AxonTransientException;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.hibernate.Session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Handles inbound messages: records each one's id in the inbox, then appends an event to the app's event store
 * (where its handlers and sagas pick it up) or runs a command on the local command bus, in the same transaction.
 * A message whose id is already in the inbox has no second effect. The messages of one pull share a transaction
 * ({@link #handleAll}); one message alone has its own ({@link #handle}).
 */
public class InboundMessageHandler {

    /** Attempts in a row for a message that keeps meeting concurrent changes of its aggregate. */
    static final int MAX_CONFLICT_ATTEMPTS = 20;

    private static final Logger log = LoggerFactory.getLogger(InboundMessageHandler.class);

    private static final String ADD_TO_INBOX = "INSERT INTO pubsub_inbox (message_id, subscription, handled_at) "
            + "SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM pubsub_inbox WHERE message_id = ?)";

    /** What became of a message. */
    public enum Outcome { HANDLED, DUPLICATE }

    private final PubSubMessageConverter converter;
    private final TransactionManager transactions;
    private final EntityManagerProvider entityManagers;
    private final EventBus eventBus;
    private final CommandBus commandBus;
    private final PubSubSpans spans;

    public InboundMessageHandler(PubSubMessageConverter converter, TransactionManager transactions,
                                 EntityManagerProvider entityManagers, EventBus eventBus, CommandBus commandBus,
                                 PubSubSpans spans) {
        this.converter = converter;
        this.transactions = transactions;
        this.entityManagers = entityManagers;
        this.eventBus = eventBus;
        this.commandBus = commandBus;
        this.spans = spans;
    }

    /**
     * @param onConflict told each time the message met a concurrent change of its aggregate and is handled again
     * @throws PubSubMessageConverter.UnreadableMessageException when the message can never be handled
     * @throws Exception when handling failed; nothing of it was committed
     */
    public Outcome handle(PubsubMessage pubsubMessage, String subscription, Runnable onConflict) throws Exception {
        Message<?> message = converter.fromPubSub(pubsubMessage, subscription);
        return spans.receive(subscription, message, () -> handleWithRetries(message, subscription, onConflict));
    }

    private Outcome handleWithRetries(Message<?> message, String subscription, Runnable onConflict) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return handleOnce(message, subscription);
            } catch (Exception failure) {
                // Another thread or instance changed the same aggregate first (its events took our sequence
                // numbers): a new attempt loads the aggregate as it is now. Not a failed delivery.
                if (attempt >= MAX_CONFLICT_ATTEMPTS || !isTransient(failure)) {
                    throw failure;
                }
                onConflict.run();
                log.debug("Message {} on {} met a concurrent change (attempt {}), handling it again: {}",
                        message.getIdentifier(), subscription, attempt, failure.toString());
            }
        }
    }

    /**
     * Handles the messages of one pull in one transaction: one commit and one append of their events, instead of
     * one of each per message. All or nothing: on any failure nothing is committed and the caller handles them one
     * by one with {@link #handle}, which tells the failing message from the others.
     */
    public List<Outcome> handleAll(List<PubsubMessage> pubsubMessages, String subscription) throws Exception {
        List<Message<?>> messages = new ArrayList<>();
        for (PubsubMessage pubsubMessage : pubsubMessages) {
            messages.add(converter.fromPubSub(pubsubMessage, subscription));
        }
        return inTransaction(messages.get(0), () -> {
            List<Outcome> outcomes = new ArrayList<>();
            for (Message<?> message : messages) {
                // Each message in its own nested unit of work, so what it causes is correlated with it alone.
                var nested = DefaultUnitOfWork.startAndGet(message).executeWithResult(
                        () -> spans.receive(subscription, message, () -> record(message, subscription)),
                        RollbackConfigurationType.ANY_THROWABLE);
                if (nested.isExceptional()) {
                    Throwable failure = nested.exceptionResult();
                    throw failure instanceof Exception e ? e : new RuntimeException(failure);
                }
                outcomes.add(nested.getPayload());
            }
            return outcomes;
        });
    }

    private Outcome handleOnce(Message<?> message, String subscription) throws Exception {
        return inTransaction(message, () -> record(message, subscription));
    }

    /** Records the message in the inbox and hands it to the app, unless the inbox has it already. */
    private Outcome record(Message<?> message, String subscription) throws Exception {
        try (LogContext ignored = LogContext.of(message)) { // each message of a batch its own
            return recordInContext(message, subscription);
        }
    }

    private Outcome recordInContext(Message<?> message, String subscription) throws Exception {
        String id = (String) message.getMetaData().get(Metadata.INBOUND_MESSAGE_ID);
        if (!addToInbox(id, subscription)) {
            return Outcome.DUPLICATE;
        }
        if (message instanceof CommandMessage<?> command) {
            dispatchAndWait(command);
        } else {
            eventBus.publish((EventMessage<?>) message);
        }
        return Outcome.HANDLED;
    }

    /**
     * Adds the message to the inbox unless it is there: one statement on the transaction's connection, not Hibernate's
     * find, persist and flush (in a profile at 45 orders/s those were 3-11 % of each app's CPU, the flush checking
     * every entity of the batch's transaction). Written at once, so a concurrent duplicate (another instance handling
     * the same message) fails here, on the primary key, and the message or the whole batch is retried. {@link
     * InboxEntry} still maps the table, for the schema on H2 and the pruning.
     *
     * @return false when the inbox had the message already
     */
    private boolean addToInbox(String id, String subscription) {
        return entityManagers.getEntityManager().unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(ADD_TO_INBOX)) {
                insert.setString(1, id);
                insert.setString(2, subscription);
                insert.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                insert.setString(4, id);
                return insert.executeUpdate() == 1;
            }
        });
    }

    /**
     * Remembers that a message was forwarded to the dead-letter topic, so that a redelivery of it (to this or another
     * instance) is acked without a second dead letter. Keyed by the Pub/Sub message id and publish time, which a
     * redelivery keeps; not by the {@code message_id} attribute, which a poison message may share with a valid one.
     * Not by the id alone: an emulator started afresh numbers its messages from 1 again, and a new poison message
     * with an old one's id would be taken for a redelivery and acked, never dead-lettered.
     */
    public void recordDeadLetter(String subscription, PubsubMessage message) {
        transactions.executeInTransaction(() -> addToInbox(deadLetterKey(subscription, message), subscription));
    }

    public boolean wasDeadLettered(String subscription, PubsubMessage message) {
        return transactions.fetchInTransaction(() -> entityManagers.getEntityManager()
                .find(InboxEntry.class, deadLetterKey(subscription, message)) != null);
    }

    /** Within the inbox id's 200 characters: subscription names are at most 255, so long ones are hashed. */
    static String deadLetterKey(String subscription, PubsubMessage message) {
        String key = "dead-letter/" + subscription + "/" + message.getMessageId() + "@"
                + message.getPublishTime().getSeconds() + "." + message.getPublishTime().getNanos();
        return key.length() <= 200 ? key : "dead-letter/" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
    }

    private <R> R inTransaction(Message<?> message, Callable<R> work) throws Exception {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(message);
        unitOfWork.attachTransaction(transactions);
        var result = unitOfWork.executeWithResult(work, RollbackConfigurationType.ANY_THROWABLE);
        if (result.isExceptional()) {
            Throwable failure = result.exceptionResult();
            throw failure instanceof Exception e ? e : new RuntimeException(failure);
        }
        return result.getPayload();
    }

    private static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AxonTransientException) {
                return true;
            }
        }
        return false;
    }

    private void dispatchAndWait(CommandMessage<?> command) throws Exception {
        // The local command bus handles in this thread, inside this unit of work and transaction.
        CompletableFuture<CommandResultMessage<?>> done = new CompletableFuture<>();
        commandBus.dispatch(command, (c, result) -> done.complete(result));
        CommandResultMessage<?> result = done.get();
        if (result.isExceptional()) {
            Throwable failure = result.exceptionResult();
            throw failure instanceof Exception e ? e : new RuntimeException(failure);
        }
    }
}
