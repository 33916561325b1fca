package io.github.ordersaga.pubsub.inbound;

import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.pubsub.message.Metadata;
import io.github.ordersaga.pubsub.message.PubSubMessageConverter;
import jakarta.persistence.EntityManager;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Handles one inbound message in one transaction: records its id in the inbox, then appends an event to
 * the app's event store (where its handlers and sagas pick it up) or runs a command on the local command
 * bus. A message whose id is already in the inbox has no second effect.
 */
public class InboundMessageHandler {

    /** What became of a message. */
    public enum Outcome { HANDLED, DUPLICATE }

    private final PubSubMessageConverter converter;
    private final TransactionManager transactions;
    private final EntityManagerProvider entityManagers;
    private final EventBus eventBus;
    private final CommandBus commandBus;

    public InboundMessageHandler(PubSubMessageConverter converter, TransactionManager transactions,
                                 EntityManagerProvider entityManagers, EventBus eventBus, CommandBus commandBus) {
        this.converter = converter;
        this.transactions = transactions;
        this.entityManagers = entityManagers;
        this.eventBus = eventBus;
        this.commandBus = commandBus;
    }

    /**
     * @throws PubSubMessageConverter.UnreadableMessageException when the message can never be handled
     * @throws Exception when handling failed; nothing of it was committed
     */
    public Outcome handle(PubsubMessage pubsubMessage, String subscription) throws Exception {
        Message<?> message = converter.fromPubSub(pubsubMessage, subscription);
        String id = (String) message.getMetaData().get(Metadata.INBOUND_MESSAGE_ID);
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(message);
        unitOfWork.attachTransaction(transactions);
        var result = unitOfWork.executeWithResult(() -> {
            EntityManager entityManager = entityManagers.getEntityManager();
            if (entityManager.find(InboxEntry.class, id) != null) {
                return Outcome.DUPLICATE;
            }
            entityManager.persist(new InboxEntry(id, subscription, Instant.now()));
            if (message instanceof CommandMessage<?> command) {
                dispatchAndWait(command);
            } else {
                eventBus.publish((EventMessage<?>) message);
            }
            entityManager.flush(); // a concurrent duplicate fails here, inside the transaction, and is retried
            return Outcome.HANDLED;
        }, RollbackConfigurationType.ANY_THROWABLE);
        if (result.isExceptional()) {
            Throwable failure = result.exceptionResult();
            throw failure instanceof Exception e ? e : new RuntimeException(failure);
        }
        return result.getPayload();
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
