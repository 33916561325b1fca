package io.github.ordersaga.janitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The janitor app as a child JVM of the test, on the test's classpath, logging to a file, so a test can kill it
 * with SIGKILL ({@link Process#destroyForcibly()}) as a crash would, and start it again.
 */
final class JanitorProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private JanitorProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code JanitorApplication} with these Spring arguments ({@code --name=value}) and its database under
     * {@code workDir} (through {@code ORDERSAGA_DATA_DIR}, so with the app's own JDBC URL); output goes to {@code log}.
     */
    static JanitorProcess start(Path workDir, Path log, List<String> springArgs) throws IOException {
        // The classpath goes in an argument file: it may be longer than one command-line argument may be.
        Path argFile = workDir.resolve("classpath.args");
        if (!Files.exists(argFile)) {
            String classpath = System.getProperty("java.class.path").replace("\\", "\\\\").replace("\"", "\\\"");
            Files.writeString(argFile, "-cp\n\"" + classpath + "\"\n", StandardCharsets.UTF_8);
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + argFile.toAbsolutePath(),
                // Small and quick to start: two cores are shared with the emulators and the test JVM.
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Daxoniq.update-checker.disabled=true",
                "io.github.ordersaga.janitor.JanitorApplication"));
        command.addAll(springArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
        builder.environment().put("ORDERSAGA_DATA_DIR", workDir.toString());
        // Only the arguments say where the emulators are.
        builder.environment().remove("PUBSUB_EMULATOR_HOST");
        builder.environment().remove("FIRESTORE_EMULATOR_HOST");
        return new JanitorProcess(builder.start(), log);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, as a crash: no shutdown hook runs, nothing is flushed or closed. Returns once the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("janitor " + process.pid() + " still alive 30 s after SIGKILL");
        }
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** The last {@code lines} lines of its log, to show when a test failed. */
    String logTail(int lines) {
        List<String> all = logText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
