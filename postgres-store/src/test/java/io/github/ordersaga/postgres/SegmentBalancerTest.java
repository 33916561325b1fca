package io.github.ordersaga.postgres;

import io.github.ordersaga.testsupport.PostgresServer;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The balancer on a real PostgreSQL with the Flyway schema; the processor is a stand-in. */
class SegmentBalancerTest {

    private static PostgresServer postgres;
    private static JdbcTemplate jdbc;
    private final TrackingEventProcessor processor = mock(TrackingEventProcessor.class);
    private SegmentBalancer balancer;

    @BeforeAll
    static void database() {
        postgres = PostgresServer.start(0);
        postgres.createDatabase("balancer");
        DriverManagerDataSource dataSource = new DriverManagerDataSource(postgres.jdbcUrl("balancer"), PostgresServer.USER, "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/axon").load().migrate();
        jdbc = new JdbcTemplate(dataSource);
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @BeforeEach
    void twoSegmentsBothHeldHere() {
        jdbc.update("DELETE FROM token_entry");
        jdbc.update("DELETE FROM ordersaga_instances");
        for (int segment : new int[] {0, 1}) {
            jdbc.update("INSERT INTO token_entry (processor_name, segment, owner, timestamp) VALUES ('policies', ?, 'here', ?)",
                    segment, Instant.now().toString());
        }
        EventProcessingConfiguration processing = mock(EventProcessingConfiguration.class);
        when(processing.eventProcessors()).thenReturn(Map.<String, EventProcessor>of("policies", processor));
        when(processor.isRunning()).thenReturn(true);
        when(processor.processingStatus()).thenReturn(Map.of(0, mock(EventTrackerStatus.class), 1, mock(EventTrackerStatus.class)));
        balancer = new SegmentBalancer(processing, jdbc, Duration.ofSeconds(5));
    }

    @Test
    void aLoneInstanceKeepsEverySegment() {
        balancer.balance();

        verify(processor, never()).releaseSegment(anyInt(), anyLong(), org.mockito.ArgumentMatchers.any());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ordersaga_instances", Integer.class)).isEqualTo(1);
    }

    @Test
    void withASecondLiveInstanceItReleasesItsExtraSegment() {
        jdbc.update("INSERT INTO ordersaga_instances (instance_id, heartbeat_at) VALUES ('other', now())");

        balancer.balance();

        verify(processor).releaseSegment(eq(1), eq(20_000L), eq(TimeUnit.MILLISECONDS));
    }

    @Test
    void aDeadInstanceDoesNotCount() {
        jdbc.update("INSERT INTO ordersaga_instances (instance_id, heartbeat_at) VALUES ('gone', now() - interval '1 minute')");

        balancer.balance();

        verify(processor, never()).releaseSegment(anyInt(), anyLong(), org.mockito.ArgumentMatchers.any());
    }
}
