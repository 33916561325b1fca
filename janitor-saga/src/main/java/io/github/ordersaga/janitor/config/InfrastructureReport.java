package io.github.ordersaga.janitor.config;

import io.github.ordersaga.janitor.saga.OrderSaga;
import io.github.ordersaga.janitor.store.OneSagaPerOrderStore;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * What the janitor actually runs on, as Axon configured it. Logged once at start-up, so an operator sees at a glance
 * that deadlines are durable and sagas are persistent and shared (the silent fall-backs would be Axon's in-memory
 * {@code SimpleDeadlineManager} and {@code InMemorySagaStore}); the tests assert it as well.
 */
@Component
public class InfrastructureReport {

    private static final Logger log = LoggerFactory.getLogger(InfrastructureReport.class);

    private final Configuration axon;

    public InfrastructureReport(Configuration axon) {
        this.axon = axon;
    }

    public Class<?> deadlineManagerType() {
        return axon.deadlineManager().getClass();
    }

    /** The kind of saga store (cached, row-locking, plain) under the one-saga-per-order guard, which is always on. */
    public Class<?> sagaStoreType() {
        SagaStore<?> store = processing().sagaStore();
        return (store instanceof OneSagaPerOrderStore guarded ? guarded.delegate() : store).getClass();
    }

    public String sagaProcessorName() {
        return processing().sagaProcessingGroup(OrderSaga.class);
    }

    public Class<?> sagaProcessorType() {
        return processing().sagaEventProcessor(OrderSaga.class).map(EventProcessor::getClass)
                .orElseThrow(() -> new IllegalStateException("no event processor for " + OrderSaga.class));
    }

    /** An event store where the events received are stored, or an event bus that only hands them on. */
    public Class<?> eventBusType() {
        return axon.eventBus().getClass();
    }

    /** What the saga manager does with a handler's exception: it must propagate (retry), not log and skip. */
    public Class<?> sagaErrorHandlerType() {
        return processing().sagaConfiguration(OrderSaga.class).listenerInvocationErrorHandler().getClass();
    }

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        log.info("Saga store {}; saga processor {} is a {}; deadline manager {}; events received go to {}",
                sagaStoreType().getSimpleName(), sagaProcessorName(), sagaProcessorType().getSimpleName(),
                deadlineManagerType().getName(), eventBusType().getSimpleName());
    }

    private EventProcessingConfiguration processing() {
        return axon.eventProcessingConfiguration();
    }
}
