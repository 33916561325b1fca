package io.github.ordersaga.testsupport;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresServerTest {

    @Test
    void startsARealServerCreatesDatabasesAndLeavesNothingBehind() throws Exception {
        long pid;
        int port;
        try (PostgresServer server = PostgresServer.start(0)) {
            pid = server.pid();
            port = server.port();
            server.createDatabase("inventory-context");
            server.createDatabase("inventory-context"); // idempotent
            try (Connection c = DriverManager.getConnection(server.jdbcUrl("inventory-context"), PostgresServer.USER, "");
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (v int)");
                s.execute("INSERT INTO t VALUES (42)");
                ResultSet rs = s.executeQuery("SELECT v, version() FROM t");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
                assertThat(rs.getString(2)).startsWith("PostgreSQL");
            }
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(EmulatorProcess.isPortFree(port)).isTrue();
    }
}
