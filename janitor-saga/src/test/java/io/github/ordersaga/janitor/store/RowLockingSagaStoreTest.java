package io.github.ordersaga.janitor.store;

import io.github.ordersaga.postgres.ByteaPostgreSQLDialect;
import io.github.ordersaga.testsupport.PostgresServer;
import jakarta.persistence.EntityManagerFactory;
import org.axonframework.common.jpa.SimpleEntityManagerProvider;
import org.axonframework.modelling.saga.AssociationValue;
import org.axonframework.modelling.saga.AssociationValuesImpl;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.jpa.JpaSagaStore;
import org.axonframework.serialization.json.JacksonSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two janitors on one PostgreSQL handle the same saga, as when a deadline fires in one while the other handles an
 * event: the second to load it waits for the first to commit, and sees what the first stored.
 */
class RowLockingSagaStoreTest {

    /** A stand-in saga: the store keeps any object as Jackson JSON. */
    public static class Steps {
        public int done;
    }

    private static PostgresServer postgres;
    private static LocalContainerEntityManagerFactoryBean factory;
    private static JdbcTemplate jdbc;
    private static TransactionTemplate transactions;
    private static SagaStore<Object> store;

    @BeforeAll
    static void database() {
        postgres = PostgresServer.start(0);
        postgres.createDatabase("sagas");
        DriverManagerDataSource dataSource = new DriverManagerDataSource(postgres.jdbcUrl("sagas"), PostgresServer.USER, "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/axon").load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        factory = new LocalContainerEntityManagerFactoryBean();
        factory.setDataSource(dataSource);
        factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
        factory.setPackagesToScan("org.axonframework.modelling.saga.repository.jpa");
        factory.setJpaPropertyMap(Map.of("hibernate.dialect", ByteaPostgreSQLDialect.class.getName(),
                "hibernate.hbm2ddl.auto", "validate", // the Flyway schema, named as Spring Boot names it
                "hibernate.physical_naming_strategy", "org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy"));
        factory.afterPropertiesSet();
        EntityManagerFactory emf = factory.getObject();
        transactions = new TransactionTemplate(new JpaTransactionManager(emf));
        var entityManagers = new SimpleEntityManagerProvider(SharedEntityManagerCreator.createSharedEntityManager(emf));
        JpaSagaStore jpa = JpaSagaStore.builder().entityManagerProvider(entityManagers)
                .serializer(JacksonSerializer.defaultSerializer()).build();
        store = new RowLockingSagaStore(jpa, entityManagers);
    }

    @AfterAll
    static void stop() {
        factory.destroy();
        postgres.close();
    }

    @Test
    void aSagaHandledInOneTransactionWaitsForItInAnotherThenLoadsWhatItStored() throws Exception {
        String id = UUID.randomUUID().toString();
        transactions.executeWithoutResult(tx -> store.insertSaga(Steps.class, id, new Steps(),
                Set.of(new AssociationValue("orderId", id))));
        CountDownLatch firstLoaded = new CountDownLatch(1);
        CountDownLatch secondWaiting = new CountDownLatch(1);

        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(tx -> {
            Steps steps = store.loadSaga(Steps.class, id).saga();
            firstLoaded.countDown();
            awaitLatch(secondWaiting);
            steps.done++;
            store.updateSaga(Steps.class, id, steps, new AssociationValuesImpl(Set.of(new AssociationValue("orderId", id))));
        }));
        assertThat(firstLoaded.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> transactions.execute(tx ->
                store.loadSaga(Steps.class, id).saga().done));

        awaitSecondWaitingForTheRow();
        secondWaiting.countDown();
        first.get(10, TimeUnit.SECONDS);

        assertThat(second.get(10, TimeUnit.SECONDS)).as("steps the second transaction saw").isEqualTo(1);
    }

    @Test
    void anEndedSagaIsNotFoundByATransactionThatWaitedForIt() throws Exception {
        String id = UUID.randomUUID().toString();
        Set<AssociationValue> associations = Set.of(new AssociationValue("orderId", id));
        transactions.executeWithoutResult(tx -> store.insertSaga(Steps.class, id, new Steps(), associations));
        CountDownLatch firstLoaded = new CountDownLatch(1);
        CountDownLatch secondWaiting = new CountDownLatch(1);

        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(tx -> {
            store.loadSaga(Steps.class, id);
            firstLoaded.countDown();
            awaitLatch(secondWaiting);
            store.deleteSaga(Steps.class, id, associations);
        }));
        assertThat(firstLoaded.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> transactions.execute(tx ->
                store.loadSaga(Steps.class, id) == null));

        awaitSecondWaitingForTheRow();
        secondWaiting.countDown();
        first.get(10, TimeUnit.SECONDS);

        assertThat(second.get(10, TimeUnit.SECONDS)).as("the ended saga is gone for the second").isTrue();
    }

    /** The second transaction is blocked on the saga's row lock (PostgreSQL says so), not just slow. */
    private static void awaitSecondWaitingForTheRow() {
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'",
                Integer.class) == 1);
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other transaction never got to wait");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
