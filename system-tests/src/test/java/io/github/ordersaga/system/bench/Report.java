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
        return String.format("%s/s open, warm-up of the just-started system (%.0f s)", warmUp.get("offered_per_second"),
                (double) warmUp.get("offered_seconds"));
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

    static void plot(List<Map<String, Object>> saga, List<Map<String, Object>> relay, Path file) throws IOException {
        int width = 900, height = 540, left = 80, right = 200, top = 50, bottom = 60;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        List<Map<String, Object>> open = saga.stream().filter(r -> "open".equals(r.get("mode"))).toList();
        double maxRate = open.stream().mapToDouble(r -> ((Number) r.get("offered_per_second")).doubleValue()).max().orElse(1);
        double maxLatency = open.stream().mapToDouble(r -> (double) r.get("p99_ms")).filter(d -> !Double.isNaN(d)).max().orElse(1) * 1.1;
        int plotW = width - left - right, plotH = height - top - bottom;
        g.setColor(Color.BLACK);
        g.drawLine(left, top + plotH, left + plotW, top + plotH);
        g.drawLine(left, top, left, top + plotH);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 5; i++) {
            int y = top + plotH - i * plotH / 5;
            g.setColor(new Color(230, 230, 230));
            g.drawLine(left + 1, y, left + plotW, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%.0f", maxLatency * i / 5), left - 45, y + 4);
        }
        for (Map<String, Object> row : open) {
            double rate = ((Number) row.get("offered_per_second")).doubleValue();
            int x = left + (int) (plotW * rate / maxRate);
            g.drawString(String.format("%.0f", rate), x - 10, top + plotH + 18);
        }
        g.drawString("offered rate (orders/s)", left + plotW / 2 - 60, height - 20);
        g.drawString("latency (ms)", 10, top - 15);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("POST to terminal state, against the raw 4-hop relay", left, 25);
        series(g, open, "p50_ms", new Color(31, 119, 180), false, left, top, plotW, plotH, maxRate, maxLatency, "saga p50", 0);
        series(g, open, "p95_ms", new Color(255, 127, 14), false, left, top, plotW, plotH, maxRate, maxLatency, "saga p95", 1);
        series(g, open, "p99_ms", new Color(214, 39, 40), false, left, top, plotW, plotH, maxRate, maxLatency, "saga p99", 2);
        series(g, relay, "p50_ms", new Color(31, 119, 180), true, left, top, plotW, plotH, maxRate, maxLatency, "relay p50", 3);
        series(g, relay, "p99_ms", new Color(214, 39, 40), true, left, top, plotW, plotH, maxRate, maxLatency, "relay p99", 4);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static void series(Graphics2D g, List<Map<String, Object>> rows, String key, Color color, boolean dashed,
                               int left, int top, int plotW, int plotH, double maxRate, double maxLatency, String label, int legend) {
        g.setColor(color);
        g.setStroke(dashed ? new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[]{6, 6}, 0) : new BasicStroke(2));
        int px = -1, py = -1;
        for (Map<String, Object> row : rows) {
            double latency = (double) row.get(key);
            if (Double.isNaN(latency)) {
                continue;
            }
            int x = left + (int) (plotW * ((Number) row.get("offered_per_second")).doubleValue() / maxRate);
            int y = top + plotH - (int) (plotH * Math.min(latency, maxLatency) / maxLatency);
            g.fillOval(x - 3, y - 3, 6, 6);
            if (px >= 0) {
                g.drawLine(px, py, x, y);
            }
            px = x;
            py = y;
        }
        int ly = top + 20 + legend * 22;
        g.drawLine(left + plotW + 20, ly, left + plotW + 50, ly);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(label, left + plotW + 58, ly + 4);
    }
}
