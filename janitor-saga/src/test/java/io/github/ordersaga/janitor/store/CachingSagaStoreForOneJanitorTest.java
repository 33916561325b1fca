package io.github.ordersaga.janitor.store;

import jakarta.persistence.EntityManagerFactory;
import org.axonframework.common.jpa.SimpleEntityManagerProvider;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.saga.AssociationValue;
import org.axonframework.modelling.saga.AssociationValuesImpl;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.jpa.JpaSagaStore;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The janitor's saga store on H2, in units of work as Axon runs the saga: what it caches, and that a rolled-back unit
 * of work leaves nothing of itself in the cache.
 */
class CachingSagaStoreForOneJanitorTest {

    /** A stand-in saga: the store keeps any object as Jackson JSON. */
    public static class Steps {
        public int done;
    }

    private static LocalContainerEntityManagerFactoryBean factory;
    private static JdbcTemplate jdbc;
    private static SpringTransactionManager transactions;
    private static SagaStore<Object> store;

    @BeforeAll
    static void database() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:saga-cache;DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(dataSource);
        factory = new LocalContainerEntityManagerFactoryBean();
        factory.setDataSource(dataSource);
        factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
        factory.setPackagesToScan("org.axonframework.modelling.saga.repository.jpa");
        factory.setJpaPropertyMap(Map.of("hibernate.hbm2ddl.auto", "create-drop", // tables named as Spring Boot names them
                "hibernate.physical_naming_strategy", "org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy"));
        factory.afterPropertiesSet();
        EntityManagerFactory emf = factory.getObject();
        transactions = new SpringTransactionManager(new JpaTransactionManager(emf));
        var entityManagers = new SimpleEntityManagerProvider(SharedEntityManagerCreator.createSharedEntityManager(emf));
        store = new CachingSagaStoreForOneJanitor(JpaSagaStore.builder().entityManagerProvider(entityManagers)
                .serializer(JacksonSerializer.defaultSerializer()).build());
    }

    @AfterAll
    static void stop() {
        factory.destroy();
    }

    @Test
    void aSagaAndItsAssociationsAreReadFromMemoryOnceStored() throws Exception {
        String id = UUID.randomUUID().toString();
        AssociationValue order = new AssociationValue("orderId", id);
        inUnitOfWork(() -> {
            store.insertSaga(Steps.class, id, new Steps(), Set.of(order));
            return null;
        });
        inUnitOfWork(() -> store.findSagas(Steps.class, order)); // the association, now cached

        jdbc.update("DELETE FROM association_value_entry WHERE saga_id = ?", id); // behind the store's back
        jdbc.update("DELETE FROM saga_entry WHERE saga_id = ?", id);

        assertThat(inUnitOfWork(() -> store.findSagas(Steps.class, order))).containsExactly(id);
        assertThat(inUnitOfWork(() -> store.loadSaga(Steps.class, id))).isNotNull();
    }

    @Test
    void aChangeRolledBackIsForgottenAndTheSagaReadAsCommitted() throws Exception {
        String id = UUID.randomUUID().toString();
        AssociationValue order = new AssociationValue("orderId", id);
        inUnitOfWork(() -> {
            store.insertSaga(Steps.class, id, new Steps(), Set.of(order));
            return null;
        });

        rolledBack(() -> {
            Steps steps = store.loadSaga(Steps.class, id).saga();
            steps.done++; // as a handler does: in place, on the instance the cache holds
            store.updateSaga(Steps.class, id, steps, new AssociationValuesImpl(Set.of(order)));
            return null;
        });

        assertThat(inUnitOfWork(() -> store.loadSaga(Steps.class, id).saga().done)).isZero();
    }

    @Test
    void aSagaStartedInAUnitOfWorkRolledBackIsNotFound() throws Exception {
        String id = UUID.randomUUID().toString();
        AssociationValue order = new AssociationValue("orderId", id);
        inUnitOfWork(() -> store.findSagas(Steps.class, order)); // none: cached as none

        rolledBack(() -> {
            store.insertSaga(Steps.class, id, new Steps(), Set.of(order));
            return null;
        });

        assertThat(inUnitOfWork(() -> store.findSagas(Steps.class, order))).isEmpty();
        assertThat(inUnitOfWork(() -> store.loadSaga(Steps.class, id))).isNull();
    }

    /** As when an event of the order is read while another transaction starts the order's saga. */
    @Test
    void anAssociationFoundWithoutSagaIsNotRemembered() throws Exception {
        String id = UUID.randomUUID().toString();
        AssociationValue order = new AssociationValue("orderId", id);
        assertThat(inUnitOfWork(() -> store.findSagas(Steps.class, order))).isEmpty();

        // The saga another transaction started, committed after the lookup, its cache update made before.
        jdbc.update("INSERT INTO saga_entry (saga_id, saga_type, revision, serialized_saga) VALUES (?, ?, NULL, ?)",
                id, Steps.class.getName(), "{\"done\":0}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        jdbc.update("INSERT INTO association_value_entry (id, association_key, association_value, saga_id, saga_type) "
                + "VALUES ((SELECT COALESCE(MAX(id), 0) + 1000000 FROM association_value_entry), 'orderId', ?, ?, ?)",
                id, id, Steps.class.getName());

        assertThat(inUnitOfWork(() -> store.findSagas(Steps.class, order))).containsExactly(id);
    }

    private static <R> R inUnitOfWork(Callable<R> work) throws Exception {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        unitOfWork.attachTransaction(transactions);
        var result = unitOfWork.executeWithResult(work, RollbackConfigurationType.ANY_THROWABLE);
        if (result.isExceptional()) {
            throw (Exception) result.exceptionResult();
        }
        return result.getPayload();
    }

    private static void rolledBack(Callable<?> work) {
        IllegalStateException failure = new IllegalStateException("the handler failed");
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        unitOfWork.attachTransaction(transactions);
        var result = unitOfWork.executeWithResult(() -> {
            work.call();
            throw failure;
        }, RollbackConfigurationType.ANY_THROWABLE);
        assertThat(result.exceptionResult()).isSameAs(failure);
    }
}
