package io.github.ordersaga.janitor.config;

import io.github.ordersaga.api.PublishedLanguage;
import io.github.ordersaga.api.WireRules;
import io.github.ordersaga.janitor.saga.SagaTimeouts;
import io.github.ordersaga.janitor.store.CachingSagaStoreForOneJanitor;
import io.github.ordersaga.janitor.saga.OrderSaga;
import io.github.ordersaga.janitor.store.OneSagaPerOrderStore;
import io.github.ordersaga.janitor.store.RowLockingSagaStore;
import io.github.ordersaga.janitor.web.OpenSagas;
import io.github.ordersaga.pubsub.message.MessageTypes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.SimpleEventBus;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.jpa.JpaSagaStore;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wiring of the janitor. Most of it is Axon's and db-scheduler's auto-configuration, steered by application.yml:
 * the JPA saga store (cached on one janitor, its rows locked on PostgreSQL), the {@code OrderSagaProcessor} (subscribing on one janitor, pooled
 * with segments in the {@code postgres} profile, where several janitors share the sagas) and the
 * durable {@code DbSchedulerDeadlineManager} ({@code AxonDbSchedulerAutoConfiguration}, active because db-scheduler
 * provides a {@code Scheduler} bean on the janitor's database). {@link InfrastructureReport} logs what is active.
 */
@Configuration
@EnableConfigurationProperties(JanitorProperties.class)
public class JanitorConfiguration {

    /** Everything the janitor receives (events of every context) and sends (compensating commands). */
    @Bean
    MessageTypes messageTypes() {
        return new MessageTypes(PublishedLanguage.MESSAGES, WireRules::violation);
    }

    /**
     * Axon's JPA saga store, and around it either a cache (one janitor on its own database, as on H2) or each saga's
     * row locked while a transaction handles it (the {@code postgres} profile, where janitors may share the database).
     * The two exclude each other: a cache is only right for the only writer, and row locks only matter for several.
     * Outermost, one saga per order ({@link OneSagaPerOrderStore}).
     */
    @Bean
    SagaStore<Object> sagaStore(@Qualifier("serializer") Serializer serializer, EntityManagerProvider entityManagers,
                                @Value("${ordersaga.saga-cache.enabled:false}") boolean cache,
                                @Value("${ordersaga.saga-row-locks.enabled:false}") boolean rowLocks) {
        if (cache && rowLocks) {
            throw new IllegalStateException("ordersaga.saga-cache.enabled and ordersaga.saga-row-locks.enabled are both "
                    + "true: a saga cache is only right for a janitor alone on its database, row locks are for janitors "
                    + "sharing one; turn one off");
        }
        JpaSagaStore jpa = JpaSagaStore.builder().entityManagerProvider(entityManagers).serializer(serializer).build();
        SagaStore<Object> store = rowLocks ? new RowLockingSagaStore(jpa, entityManagers) : cache ? new CachingSagaStoreForOneJanitor(jpa) : jpa;
        return new OneSagaPerOrderStore(store, entityManagers, OrderSaga.ORDER_ID);
    }

    /**
     * The events the janitor receives, handed to its saga without being stored ({@code ordersaga.janitor.store-events:
     * false}, one janitor on H2): its saga processor is subscribing there, so nothing ever reads them back, and storing
     * each was an append to the event table and its indexes in every commit (docs/performance.md). With this bean Axon
     * makes no event store. The {@code postgres} profile stores them: its pooled saga processor reads them back.
     */
    @Bean
    @ConditionalOnProperty(name = "ordersaga.janitor.store-events", havingValue = "false")
    EventBus eventBus(org.axonframework.config.Configuration axon) {
        return SimpleEventBus.builder().messageMonitor(axon.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(axon.getComponent(EventBusSpanFactory.class)).build();
    }

    /** Resource of the saga's handlers (not a field: the saga's state must stay plain, Jackson-serialised data). */
    @Bean
    SagaTimeouts sagaTimeouts(JanitorProperties properties) {
        return properties.timeouts();
    }

    /** The open sagas (GAVE_UP ones included), counted in the saga store when Prometheus scrapes. */
    @Bean
    MeterBinder openSagasGauge(OpenSagas openSagas) {
        return registry -> Gauge.builder("ordersaga.janitor.sagas.open", openSagas, OpenSagas::count)
                .description("Sagas open in the saga store").register(registry);
    }
}
