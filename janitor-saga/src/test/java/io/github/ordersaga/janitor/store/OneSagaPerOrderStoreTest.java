package io.github.ordersaga.janitor.store;

import jakarta.persistence.EntityManagerFactory;
import org.axonframework.common.jpa.SimpleEntityManagerProvider;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.saga.AssociationValue;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two transactions starting the saga of one order at once, as two janitor threads handling two events of the order
 * do: the second waits for the first and fails as a concurrent change, so only one saga is stored; once the saga
 * ends, the order's start is free again.
 */
class OneSagaPerOrderStoreTest {

    public static class Steps {
        public int done;
    }

    private static LocalContainerEntityManagerFactoryBean factory;
    private static JdbcTemplate jdbc;
    private static SpringTransactionManager transactions;
    private static SagaStore<Object> store;
    /** Two threads of their own: the common pool may have one only, and the first start holds its thread open. */
    private static final ExecutorService threads = Executors.newFixedThreadPool(2);

    @BeforeAll
    static void database() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:one-saga-per-order;DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(dataSource);
        factory = new LocalContainerEntityManagerFactoryBean();
        factory.setDataSource(dataSource);
        factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
        factory.setPackagesToScan("org.axonframework.modelling.saga.repository.jpa", "io.github.ordersaga.janitor.store");
        factory.setJpaPropertyMap(Map.of("hibernate.hbm2ddl.auto", "create-drop",
                "hibernate.physical_naming_strategy", "org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy"));
        factory.afterPropertiesSet();
        EntityManagerFactory emf = factory.getObject();
        transactions = new SpringTransactionManager(new JpaTransactionManager(emf));
        var entityManagers = new SimpleEntityManagerProvider(SharedEntityManagerCreator.createSharedEntityManager(emf));
        store = new OneSagaPerOrderStore(new CachingSagaStoreForOneJanitor(JpaSagaStore.builder()
                .entityManagerProvider(entityManagers).serializer(JacksonSerializer.defaultSerializer()).build()),
                entityManagers, "orderId");
    }

    @AfterAll
    static void stop() {
        threads.shutdownNow();
        factory.destroy();
    }

    @Test
    void ofTwoStartsOfOneOrderAtOnceTheSecondWaitsThenFailsAsAConcurrentChange() throws Exception {
        AssociationValue order = new AssociationValue("orderId", UUID.randomUUID().toString());
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        CountDownLatch firstStored = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch secondFoundNone = new CountDownLatch(1);

        CompletableFuture<Void> firstStart = CompletableFuture.runAsync(() -> call(() -> inUnitOfWork(() -> {
            store.insertSaga(Steps.class, first, new Steps(), Set.of(order));
            firstStored.countDown();
            release.await(10, TimeUnit.SECONDS); // its transaction still open
            return null;
        })), threads);
        assertThat(firstStored.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> secondStart = CompletableFuture.runAsync(() -> call(() -> inUnitOfWork(() -> {
            assertThat(store.findSagas(Steps.class, order)).isEmpty(); // the first is not committed: none found
            secondFoundNone.countDown();
            store.insertSaga(Steps.class, second, new Steps(), Set.of(order));
            return null;
        })), threads);
        assertThat(secondFoundNone.await(10, TimeUnit.SECONDS)).isTrue();
        release.countDown();

        firstStart.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> secondStart.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(ConcurrencyException.class);
        assertThat(inUnitOfWork(() -> store.findSagas(Steps.class, order))).containsExactly(first);
    }

    @Test
    void anEndedSagaFreesItsOrderForANewStart() throws Exception {
        AssociationValue order = new AssociationValue("orderId", UUID.randomUUID().toString());
        String first = UUID.randomUUID().toString();
        inUnitOfWork(() -> {
            store.insertSaga(Steps.class, first, new Steps(), Set.of(order));
            return null;
        });
        inUnitOfWork(() -> {
            store.deleteSaga(Steps.class, first, Set.of(order));
            return null;
        });
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM saga_start WHERE saga_id = ?", Long.class, first)).isZero();

        String next = UUID.randomUUID().toString();
        inUnitOfWork(() -> {
            store.insertSaga(Steps.class, next, new Steps(), Set.of(order));
            return null;
        });
        assertThat(inUnitOfWork(() -> store.findSagas(Steps.class, order))).containsExactly(next);
    }

    @Test
    void anEndingSagaFindsItsStartByTheSagaIdIndexNotByAScan() {
        // The schema Hibernate makes, as on H2 by default: the delete at a saga's end must not read every open order.
        String plan = jdbc.queryForObject("EXPLAIN DELETE FROM saga_start WHERE saga_id = 'x'", String.class);
        assertThat(plan).containsIgnoringCase("SAGA_START_SAGA_ID");
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

    private static void call(Callable<?> work) {
        try {
            work.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
