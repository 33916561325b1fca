package io.github.ordersaga.system.reliability;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reliability suite in its short size, in the test command: the same seven scenarios and invariants as
 * {@code bin/reliability}, with fewer orders and kills. Its report: target/reliability/report.md.
 */
class ReliabilityTest {

    @Test
    void ordersSurviveCrashesRedeliveryContentionHostileInputAndFirestorePostgresAndPubSubOutages() throws Exception {
        Path work = Path.of("target/reliability").toAbsolutePath();
        List<ReliabilitySuite.Row> rows = ReliabilitySuite.run(ReliabilitySuite.SHORT, work, work.resolve("report.md"), 20261126L);

        assertThat(rows).hasSize(7);
        for (ReliabilitySuite.Row row : rows) {
            assertThat(row.check().violations()).as(row.scenario() + " invariants").isEmpty();
            assertThat(row.ok()).as(row.scenario() + ": " + row.notes()).isTrue();
        }
    }
}
