package io.github.ordersaga.system;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the whole system once for all system tests with the README's command ({@code bin/ordersaga up}),
 * in the background, with its data and logs under {@code target/}, and stops it with {@code bin/ordersaga down}
 * when the test run ends, whatever happened.
 */
public class LocalSystem implements BeforeAllCallback {

    static final String GATEWAY = "http://127.0.0.1:8080";
    static final String INVENTORY = "http://127.0.0.1:8082";
    static final String PAYMENT = "http://127.0.0.1:8083";
    static final String JANITOR = "http://127.0.0.1:8084";
    static final String PUBSUB = "127.0.0.1:8085";
    static final String PROJECT = "local-project";

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path DATA = Path.of("target/system-data").toAbsolutePath();
    static final Path LOGS = Path.of("target/system-logs").toAbsolutePath();

    /** Where the services export their spans (all of them: the system runs with 100 % sampling). */
    private static volatile ZipkinCollector spans;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(LocalSystem.class, key -> start(), Running.class);
    }

    static ZipkinCollector spans() {
        return spans;
    }

    private static Running start() {
        try {
            spans = new ZipkinCollector();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // Passed on by bin/ordersaga to the services, as a person would point them at a Zipkin server.
        // The page's chart takes a point a second, not every 5 s: BrowserTest waits less for it.
        run(Duration.ofMinutes(6), Map.of("MANAGEMENT_ZIPKIN_TRACING_ENDPOINT", spans.endpoint(),
                "MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "1.0", "ORDERSAGA_GATEWAY_TRACE_VIEWER", spans.viewer(),
                "ORDERSAGA_GATEWAY_LIVE_CHART_INTERVAL", "1s"), "up", "--detach", "--no-build");
        return new Running(spans);
    }

    /** Closed by JUnit when the whole run ends. */
    record Running(ZipkinCollector spans) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            run(Duration.ofMinutes(2), Map.of(), "down");
            spans.close();
        }
    }

    private static void run(Duration timeout, Map<String, String> environment, String... args) {
        try {
            Files.createDirectories(LOGS);
            Path output = LOGS.resolve("ordersaga-" + args[0] + ".out");
            ProcessBuilder builder = new ProcessBuilder(concat(ROOT.resolve("bin/ordersaga").toString(), args))
                    .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(Map.of("ORDERSAGA_DATA_DIR", DATA.toString(), "ORDERSAGA_LOG_DIR", LOGS.toString()));
            // bin/ordersaga makes the operator token and keeps it in the data dir (operatorToken()), as for a person.
            builder.environment().remove("ORDERSAGA_OPERATOR_TOKEN");
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("bin/ordersaga " + args[0] + " took over " + timeout + ":\n" + Files.readString(output));
            }
            String printed = Files.readString(output);
            System.out.println(printed);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("bin/ordersaga " + String.join(" ", args) + " failed:\n" + printed);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The operator token {@code bin/ordersaga up} gave the services. */
    static String operatorToken() {
        try {
            return Files.readString(DATA.resolve("run/operator-token")).strip();
        } catch (IOException e) {
            throw new IllegalStateException("bin/ordersaga up kept no operator token", e);
        }
    }

    private static List<String> concat(String first, String... rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), java.util.Arrays.stream(rest)).toList();
    }
}
