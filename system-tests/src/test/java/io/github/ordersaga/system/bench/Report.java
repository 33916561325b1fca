package io.github.ordersaga.system.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The benchmark's markdown table and its plot (latency percentiles against offered rate). */
final class Report {

    private Report() {
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> results) {
        List<Map<String, Object>> saga = (List<Map<String, Object>>) results.get("saga");
        List<Map<String, Object>> relay = (List<Map<String, Object>>) results.get("relay_4_hops");
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark results\n\n")
          .append("Run ").append(results.get("date")).append(" on ").append(results.get("machine"))
          .append(", all services and both emulators on the same machine.");
        if (!String.valueOf(results.get("startup_seconds")).isEmpty()) {
            md.append(" Time from `bin/ordersaga up` to all services healthy: ").append(results.get("startup_seconds")).append(" s.");
        }
        // Which JIT the services ran matters as much as the code (docs/performance.md, "fifth session"). Results
        // written before the field existed say nothing of it, so neither does their report.
        Object javaOpts = results.get("services_java_opts");
        if (javaOpts != null) {
            md.append(javaOpts.toString().isEmpty()
                    ? " The services on `bin/ordersaga`'s default JVM options (C1 only)."
                    : " The services' JVM options (`ORDERSAGA_JAVA_OPTS`): `" + javaOpts + "`.");
        }
        md.append("\n\n").append(costTable(results));
        if (results.get("tracing") != null) {
            md.append('\n').append(tracingTable(results));
        }
        md.append("\n\nLatency: from the POST to the order's terminal event (OrderCompleted / OrderCancelled) on `order-status`.\n")
          .append("Relay: the emulator's own ceiling, a raw chain of 4 hops with no business logic, at the same rates.\n\n")
          .append("| load | orders | settled/s | p50 ms | p95 ms | p99 ms | max ms | errors | relay p50 ms | relay p99 ms | p50 / relay | p99 / relay |\n")
          .append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, Object> warmUp = (Map<String, Object>) results.get("warm_up");
        if (warmUp != null) {
            sagaRow(md, warmUpLabel(warmUp), warmUp, null);
        }
        for (Map<String, Object> row : saga) {
            boolean open = "open".equals(row.get("mode"));
            Map<String, Object> ceiling = open ? relay.stream()
                    .filter(r -> r.get("offered_per_second").equals(row.get("offered_per_second"))).findFirst().orElse(null) : null;
            sagaRow(md, label(row), row, ceiling);
        }
        List<Map<String, Object>> ordered = (List<Map<String, Object>>) results.get("relay_4_hops_ordered");
        if (ordered != null && !ordered.isEmpty()) {
            md.append("\nThe same relay with ordered subscriptions (one ordering key per message, as one per order): "
                            + "what message ordering costs on the emulator.\n\n")
              .append("| messages/s | delivered | p50 ms | p99 ms | unordered p50 ms | unordered p99 ms |\n|---|---|---|---|---|---|\n");
            for (Map<String, Object> row : ordered) {
                Map<String, Object> plain = relay.stream()
                        .filter(r -> r.get("offered_per_second").equals(row.get("offered_per_second"))).findFirst().orElseThrow();
                md.append(String.format("| %s | %s / %s | %.0f | %.0f | %.0f | %.0f |%n", row.get("offered_per_second"),
                        row.get("delivered"), row.get("messages"), (double) row.get("p50_ms"), (double) row.get("p99_ms"),
                        (double) plain.get("p50_ms"), (double) plain.get("p99_ms")));
            }
        }
        md.append("\nFirestore projection: from an order's terminal event on `order-status` to its document showing that "
                        + "status (the document's update time), read once after the run.\n\n")
          .append("| load | p50 ms | p99 ms | max ms | not shown after the run |\n|---|---|---|---|---|\n");
        if (warmUp != null) {
            lagRow(md, warmUpLabel(warmUp), warmUp);
        }
        for (Map<String, Object> row : saga) {
            lagRow(md, label(row), row);
        }
        md.append("\nCPU (% of one core, average over each phase):\n\n| load | ");
        Map<String, Double> anyCpu = (Map<String, Double>) saga.get(0).get("cpu_percent");
        anyCpu.keySet().forEach(name -> md.append(name).append(" | "));
        md.append("\n|---|").append("---|".repeat(anyCpu.size())).append('\n');
        cpuRow(md, "idle, before the load", (Map<String, Double>) results.get("cpu_idle_percent"), anyCpu.keySet());
        if (warmUp != null) {
            cpuRow(md, warmUpLabel(warmUp), (Map<String, Double>) warmUp.get("cpu_percent"), anyCpu.keySet());
        }
        for (Map<String, Object> row : saga) {
            String load = "open".equals(row.get("mode")) ? row.get("offered_per_second") + "/s" : row.get("clients") + " clients";
            cpuRow(md, load, (Map<String, Double>) row.get("cpu_percent"), anyCpu.keySet());
        }
        cpuRow(md, "after the load, no new order", (Map<String, Double>) results.get("cpu_after_load_percent"),
                anyCpu.keySet());
        md.append("\nRSS after the run (MB): ").append(results.get("rss_mb_after")).append('\n');
        return md.toString();
    }

    private static String label(Map<String, Object> row) {
        return "open".equals(row.get("mode")) ? row.get("offered_per_second") + "/s open" : row.get("clients") + " clients closed";
    }

    private static String warmUpLabel(Map<String, Object> warmUp) {
        return "open".equals(warmUp.get("mode"))
                ? String.format("%s/s open, warm-up of the just-started system (%.0f s)", warmUp.get("offered_per_second"),
                (double) warmUp.get("offered_seconds"))
                : String.format("%s clients closed, warm-up of the just-started system", warmUp.get("clients"));
    }

    private static void sagaRow(StringBuilder md, String label, Map<String, Object> row, Map<String, Object> ceiling) {
        md.append(String.format("| %s | %s | %.1f | %.0f | %.0f | %.0f | %.0f | %s (%.2f %%) | %s | %s | %s | %s |%n",
                label, row.get("orders"), (double) row.get("throughput_per_second"), row.get("p50_ms"), row.get("p95_ms"),
                row.get("p99_ms"), row.get("max_ms"), row.get("errors"), (double) row.get("error_percent"),
                ceiling == null ? "" : String.format("%.0f", (double) ceiling.get("p50_ms")),
                ceiling == null ? "" : String.format("%.0f", (double) ceiling.get("p99_ms")),
                ceiling == null ? "" : String.format("%.1f", (double) row.get("p50_ms") / (double) ceiling.get("p50_ms")),
                ceiling == null ? "" : String.format("%.1f", (double) row.get("p99_ms") / (double) ceiling.get("p99_ms"))));
    }

    @SuppressWarnings("unchecked")
    private static void lagRow(StringBuilder md, String label, Map<String, Object> row) {
        Map<String, Object> lag = (Map<String, Object>) row.get("projection_lag");
        if (lag != null) {
            md.append(String.format("| %s | %.0f | %.0f | %.0f | %s |%n", label, (double) lag.get("p50_ms"),
                    (double) lag.get("p99_ms"), (double) lag.get("max_ms"), lag.get("not_shown_after_the_run")));
        }
    }

    private static void cpuRow(StringBuilder md, String label, Map<String, Double> cpu, java.util.Set<String> names) {
        if (cpu != null) {
            md.append("| ").append(label).append(" | ");
            names.forEach(name -> md.append(cpu.getOrDefault(name, Double.NaN)).append(" | "));
            md.append('\n');
        }
    }

    /**
     * The first table: what the system burns idle, and what each settled order costs per process (CPU-ms, the idle burn
     * of the same span taken out), beside throughput, latency and the raw relay of the same run.
     */
    @SuppressWarnings("unchecked")
    private static String costTable(Map<String, Object> results) {
        List<Map<String, Object>> saga = (List<Map<String, Object>>) results.get("saga");
        List<Map<String, Object>> relay = (List<Map<String, Object>>) results.get("relay_4_hops");
        Map<String, Double> idle = (Map<String, Double>) results.get("cpu_idle_percent");
        StringBuilder md = new StringBuilder("CPU per order: CPU-ms per settled order, per process and summed, with the idle burn of "
                + "the same span of time taken out. Idle: % of one core with no order in flight, on the warm system.\n\n| load | settled/s "
                + "| p50 ms | p95 ms | p99 ms | relay p50 ms | total | ");
        idle.keySet().forEach(name -> md.append(name).append(" | "));
        md.append("\n|---|---|---|---|---|---|---|").append("---|".repeat(idle.size())).append('\n');
        md.append("| idle, % of a core |  |  |  |  |  | ").append(results.get("cpu_idle_percent_total")).append(" | ");
        idle.values().forEach(v -> md.append(v).append(" | "));
        md.append('\n');
        for (Map<String, Object> row : saga) {
            Map<String, Object> ceiling = "open".equals(row.get("mode")) ? relay.stream()
                    .filter(r -> r.get("offered_per_second").equals(row.get("offered_per_second"))).findFirst().orElse(null) : null;
            md.append(String.format("| %s, CPU-ms per order | %.1f | %.0f | %.0f | %.0f | %s | %s | ", label(row),
                    (double) row.get("throughput_per_second"), row.get("p50_ms"), row.get("p95_ms"), row.get("p99_ms"),
                    ceiling == null ? "" : String.format("%.0f", (double) ceiling.get("p50_ms")), row.get("cpu_ms_per_order")));
            Map<String, Double> byProcess = (Map<String, Double>) row.get("cpu_ms_per_order_by_process");
            idle.keySet().forEach(name -> md.append(byProcess.getOrDefault(name, Double.NaN)).append(" | "));
            md.append('\n');
        }
        Map<String, Object> first = (Map<String, Object>) results.get("first_order_after_idle");
        if (first != null) {
            md.append(String.format("%nThe first order after %s s without traffic: %s in %.0f ms.%n", first.get("idle_seconds_before"),
                    first.get("status"), (double) first.get("latency_ms")));
        }
        List<?> notRun = (List<?>) results.get("rates_not_run");
        if (notRun != null && !notRun.isEmpty()) {
            md.append("\nNot run: ").append(notRun).append(" orders/s (a lower rate was not sustained).\n");
        }
        return md.toString();
    }

    /**
     * Tracing off (the run itself: no exporter, nothing sampled) against on (a second start of the system in the same
     * benchmark run, every span sampled and exported to Zipkin), rate by rate; Zipkin's own CPU apart.
     */
    @SuppressWarnings("unchecked")
    private static String tracingTable(Map<String, Object> results) {
        Map<String, Object> tracing = (Map<String, Object>) results.get("tracing");
        StringBuilder md = new StringBuilder("Tracing: off is the run above (no exporter, nothing sampled); on is a second start of "
                + "the system in the same benchmark run with `bin/ordersaga up --tracing` (every span sampled, exported to Zipkin on this "
                + "machine), after the same warm-up and idle spell. CPU-ms per settled order of the services and emulators (the idle burn "
                + "taken out), Zipkin's apart.\n\n| load | tracing | settled/s | p50 ms | p99 ms | CPU-ms per order | Zipkin's CPU-ms per order "
                + "| idle, % of a core |\n|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> on : (List<Map<String, Object>>) tracing.get("saga")) {
            ((List<Map<String, Object>>) results.get("saga")).stream()
                    .filter(r -> "open".equals(r.get("mode")) && r.get("offered_per_second").equals(on.get("offered_per_second")))
                    .findFirst().ifPresent(off -> tracingRow(md, off, "off", (Map<String, Double>) results.get("cpu_idle_percent")));
            tracingRow(md, on, "on, 100 %", (Map<String, Double>) tracing.get("cpu_idle_percent"));
        }
        return md.toString();
    }

    @SuppressWarnings("unchecked")
    private static void tracingRow(StringBuilder md, Map<String, Object> row, String tracing, Map<String, Double> idle) {
        Map<String, Double> byProcess = (Map<String, Double>) row.get("cpu_ms_per_order_by_process");
        double services = byProcess.entrySet().stream().filter(e -> !e.getKey().equals("zipkin")).mapToDouble(Map.Entry::getValue).sum();
        Double zipkin = byProcess.get("zipkin");
        double idleServices = idle.entrySet().stream().filter(e -> !e.getKey().equals("zipkin")).mapToDouble(Map.Entry::getValue).sum();
        md.append(String.format("| %s | %s | %.1f | %.0f | %.0f | %.1f | %s | %.1f%s |%n", label(row), tracing,
                (double) row.get("throughput_per_second"), row.get("p50_ms"), row.get("p99_ms"), services,
                zipkin == null ? "" : String.format("%.1f", zipkin), idleServices,
                idle.containsKey("zipkin") ? String.format(" (Zipkin %.1f)", idle.get("zipkin")) : ""));
    }

    /**
     * Two panels against the offered rate: latency (p50, p99, the relay's p50; log scale) and CPU-ms per settled order.
     * With a {@code before} run, its series are drawn beside, dashed.
     */
    @SuppressWarnings("unchecked")
    static void plot(Map<String, Object> results, Map<String, Object> before, Path file) throws IOException {
        int width = 1200, height = 520;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        List<Map<String, Object>> open = openRows(results);
        List<Map<String, Object>> openBefore = before == null ? List.of() : openRows(before);
        List<Map<String, Object>> relay = (List<Map<String, Object>>) results.get("relay_4_hops");
        List<Double> rates = java.util.stream.Stream.concat(open.stream(), openBefore.stream())
                .map(r -> ((Number) r.get("offered_per_second")).doubleValue()).distinct().sorted().toList();
        List<Map<String, Object>> both = java.util.stream.Stream.concat(open.stream(), openBefore.stream()).toList();
        Panel latency = new Panel(g, 70, 60, 440, 380, rates, max(both, "p99_ms"), true, "POST to terminal state (ms, log scale)");
        latency.series(open, "p50_ms", BLUE, false, "p50");
        latency.series(open, "p99_ms", RED, false, "p99");
        latency.series(relay, "p50_ms", GREY, false, "raw 4-hop relay p50");
        Panel cpu = new Panel(g, 680, 60, 440, 380, rates, max(both, "cpu_ms_per_order"), false,
                "CPU-ms per settled order (all processes)");
        cpu.series(open, "cpu_ms_per_order", GREEN, false, "after");
        if (before != null) {
            latency.series(openBefore, "p50_ms", BLUE, true, "p50, before");
            latency.series(openBefore, "p99_ms", RED, true, "p99, before");
            cpu.series(openBefore, "cpu_ms_per_order", GREEN, true, "before");
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("Against the offered rate (orders/s), open loop" + (before == null ? "" : "; dashed: the run before"), 70, 25);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static final Color BLUE = new Color(31, 119, 180);
    private static final Color RED = new Color(214, 39, 40);
    private static final Color GREY = new Color(120, 120, 120);
    private static final Color GREEN = new Color(44, 160, 44);

    private static double max(List<Map<String, Object>> rows, String key) {
        return rows.stream().map(r -> r.get(key)).filter(v -> v instanceof Number).mapToDouble(v -> ((Number) v).doubleValue())
                .filter(d -> !Double.isNaN(d)).max().orElse(1);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> openRows(Map<String, Object> results) {
        return ((List<Map<String, Object>>) results.get("saga")).stream().filter(r -> "open".equals(r.get("mode"))).toList();
    }

    /** One chart: axes, grid, and series placed by offered rate; the y range is fixed from the first series' data. */
    private static final class Panel {
        private final Graphics2D g;
        private final int left, top, w, h;
        private final double maxRate;
        private final List<Double> rates;
        private final boolean log;
        private final double low, high;
        private int legends;

        /** A log axis spans whole decades from 10 ms up to the data (100 s at most); a linear one starts at 0. */
        Panel(Graphics2D g, int left, int top, int w, int h, List<Double> rates, double maxValue, boolean log, String title) {
            this.g = g;
            this.left = left;
            this.top = top;
            this.w = w;
            this.h = h;
            this.rates = rates;
            this.maxRate = rates.stream().mapToDouble(Double::doubleValue).max().orElse(1);
            this.log = log;
            this.low = log ? 10 : 0;
            this.high = log ? Math.min(1e5, Math.max(1000, Math.pow(10, Math.ceil(Math.log10(Math.max(maxValue, 1) * 2)))))
                    : Math.max(1, maxValue * 1.25);
            axes();
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(title, left, top - 12);
        }

        void series(List<Map<String, Object>> rows, String key, Color color, boolean dashed, String label) {
            List<double[]> points = rows.stream().filter(r -> r.get(key) instanceof Number n && !Double.isNaN(n.doubleValue()))
                    .map(r -> new double[]{((Number) r.get("offered_per_second")).doubleValue(), ((Number) r.get(key)).doubleValue()})
                    .toList();
            g.setColor(color);
            g.setStroke(dashed ? new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[]{6, 6}, 0)
                    : new BasicStroke(2));
            int px = -1, py = -1;
            for (double[] p : points) {
                int x = x(p[0]), y = y(p[1]);
                g.fillOval(x - 3, y - 3, 6, 6);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            int ly = top + h - 14 - legends++ * 18;
            g.drawLine(left + w - 150, ly, left + w - 120, ly);
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(label, left + w - 114, ly + 4);
        }

        private void axes() {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int i = 0; i <= 4; i++) {
                double value = log ? low * Math.pow(high / low, i / 4.0) : high * i / 4;
                int y = y(value);
                g.setColor(new Color(230, 230, 230));
                g.drawLine(left + 1, y, left + w, y);
                g.setColor(Color.BLACK);
                g.drawString(value >= 100 ? String.format("%.0f", value) : String.format("%.1f", value), left - 55, y + 4);
            }
            g.drawLine(left, top + h, left + w, top + h);
            g.drawLine(left, top, left, top + h);
            for (double rate : rates) {
                g.drawString(String.format("%.0f", rate), x(rate) - 8, top + h + 18);
            }
            g.drawString("offered orders/s", left + w / 2 - 45, top + h + 38);
        }

        private int x(double rate) {
            return left + (int) (w * rate / maxRate);
        }

        private int y(double value) {
            double f = log ? Math.log(Math.max(value, low) / low) / Math.log(high / low) : value / high;
            return top + h - (int) (h * Math.min(1, Math.max(0, f)));
        }
    }
}
