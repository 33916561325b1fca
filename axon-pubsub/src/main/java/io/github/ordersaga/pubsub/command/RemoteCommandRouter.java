package io.github.ordersaga.pubsub.command;

import io.github.ordersaga.pubsub.message.MessageTypes;
import io.github.ordersaga.pubsub.message.PubSubMessageConverter;
import io.github.ordersaga.pubsub.outbound.PubSubPublishing;
import io.github.ordersaga.pubsub.tracing.PubSubSpans;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.common.Registration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lets the app's {@code CommandGateway} send commands to another context: for each routed command type it
 * subscribes a handler on the local command bus that publishes the command to its topic. The send succeeds
 * once Pub/Sub stored the command; the receiving context confirms the effect with its events. It fails when Pub/Sub
 * has not stored it within the send timeout ({@code axon.pubsub.commands.send-timeout}); the publish is cancelled then,
 * though Pub/Sub may have stored it already: a command sent again must be a no-op the second time (a second
 * PlaceOrder or compensation for one order is, in the contexts here).
 * <p>
 * With {@code axon.pubsub.commands.wait-for-pubsub=false} a send does not wait at all: it succeeds as soon as the
 * publish has started, and a publish that fails is only logged. For a sender that re-sends until the receiving
 * context confirms (the janitor's saga), so that one slow publish does not hold up the whole batch of messages whose
 * transaction is sending it.
 */
public class RemoteCommandRouter implements SmartInitializingSingleton, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RemoteCommandRouter.class);

    private final CommandBus commandBus;
    private final MessageTypes types;
    private final Map<String, String> routes;
    private final PubSubMessageConverter converter;
    private final PubSubPublishing publishing;
    private final Duration timeout;
    private final boolean waitForPubSub;
    private final PubSubSpans spans;
    private final List<Registration> registrations = new ArrayList<>();

    public RemoteCommandRouter(CommandBus commandBus, MessageTypes types, Map<String, String> routes,
                               PubSubMessageConverter converter, PubSubPublishing publishing, Duration timeout,
                               boolean waitForPubSub, PubSubSpans spans) {
        this.commandBus = commandBus;
        this.types = types;
        this.routes = Map.copyOf(routes);
        this.converter = converter;
        this.publishing = publishing;
        this.timeout = timeout;
        this.waitForPubSub = waitForPubSub;
        this.spans = spans;
    }

    @Override
    public void afterSingletonsInstantiated() {
        routes.forEach((typeName, topic) -> {
            Class<?> type = types.require(typeName);
            registrations.add(commandBus.subscribe(type.getName(), command -> {
                CompletableFuture<String> published = spans.publish(topic, command,
                        traced -> publishing.publish(topic, converter.toPubSub(traced)));
                if (!waitForPubSub) {
                    published.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((id, failure) -> {
                        if (failure != null) {
                            log.warn("Sending {} {} to {} failed; the sender sends it again while unconfirmed: {}",
                                    typeName, command.getIdentifier(), topic, failure.toString());
                        }
                    });
                    return null;
                }
                String id;
                try {
                    id = published.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    published.cancel(true);
                    throw new TimeoutException(typeName + " not stored by Pub/Sub within " + timeout.toMillis() + " ms");
                }
                log.debug("Sent {} {} to {} as Pub/Sub message {}", typeName, command.getIdentifier(), topic, id);
                return null;
            }));
            log.info("Commands {} go to topic {}", typeName, topic);
        });
    }

    @Override
    public void destroy() {
        registrations.forEach(Registration::cancel);
    }
}
