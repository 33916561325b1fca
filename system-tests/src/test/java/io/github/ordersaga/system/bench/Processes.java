package io.github.ordersaga.system.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** CPU time and RSS of the processes {@code bin/ordersaga} started, read from /proc by their PID files. */
final class Processes {

    private static final double CLOCK_TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private final Path runDir;

    Processes(Path runDir) {
        this.runDir = runDir;
    }

    record Sample(long nanos, Map<String, Long> ticks) {
    }

    Sample sample() {
        Map<String, Long> ticks = new TreeMap<>();
        pids().forEach((name, pid) -> {
            try {
                String stat = Files.readString(Path.of("/proc", pid, "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.put(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12])); // utime + stime
            } catch (IOException | RuntimeException e) {
                // gone: leave it out
            }
        });
        return new Sample(System.nanoTime(), ticks);
    }

    /** Average CPU use of each process between two samples, in % of one core. */
    Map<String, Double> cpuPercent(Sample before, Sample after) {
        double seconds = seconds(before, after);
        Map<String, Double> percent = new LinkedHashMap<>();
        cpuMillis(before, after).forEach((name, millis) -> percent.put(name, Math.round(millis / seconds) / 10.0));
        return percent;
    }

    /** CPU time each process used between two samples, in milliseconds. */
    Map<String, Double> cpuMillis(Sample before, Sample after) {
        Map<String, Double> millis = new LinkedHashMap<>();
        after.ticks().forEach((name, ticks) -> {
            Long start = before.ticks().get(name);
            if (start != null) {
                millis.put(name, 1000 * (ticks - start) / CLOCK_TICKS_PER_SECOND);
            }
        });
        return millis;
    }

    static double seconds(Sample before, Sample after) {
        return (after.nanos() - before.nanos()) / 1e9;
    }

    Map<String, Long> rssMegabytes() {
        Map<String, Long> rss = new TreeMap<>();
        pids().forEach((name, pid) -> {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss.put(name, Long.parseLong(line.replaceAll("\\D", "")) / 1024);
                    }
                }
            } catch (IOException e) {
                // gone
            }
        });
        return rss;
    }

    private Map<String, String> pids() {
        Map<String, String> pids = new TreeMap<>();
        try (var files = Files.list(runDir)) {
            files.filter(f -> f.toString().endsWith(".pid") && !f.getFileName().toString().equals("emulators.pid"))
                    .forEach(f -> {
                        try {
                            pids.put(f.getFileName().toString().replace(".pid", ""), Files.readString(f).trim());
                        } catch (IOException e) {
                            // unreadable: leave it out
                        }
                    });
        } catch (IOException e) {
            throw new IllegalStateException("no PID files in " + runDir + ": is the system running (bin/ordersaga up)?", e);
        }
        return pids;
    }
}
