package io.github.ordersaga.system.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Credit for long runs: the sample gives jack and jill 1,000,000 each, which a benchmark's orders use up after a few
 * thousand (invoices stay open), and then every order is a payment failure. The load drivers raise both limits first,
 * through payment's admin endpoint, with the operator token {@code bin/ordersaga} keeps: enough for far more than
 * 100,000 orders.
 */
final class Credit {

    static final long LIMIT = 1_000_000_000_000L; // the published language's largest amount

    private Credit() {
    }

    /** @param runDir where bin/ordersaga keeps the operator token; ORDERSAGA_OPERATOR_TOKEN wins when set */
    static void raiseForBenchmarkUsers(String paymentUrl, Path runDir) throws Exception {
        String token = System.getenv("ORDERSAGA_OPERATOR_TOKEN");
        if (token == null || token.isBlank()) {
            token = Files.readString(runDir.resolve("operator-token")).strip();
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (String user : List.of("jack", "jill")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(paymentUrl + "/admin/accounts/" + user + "/credit-limit"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"credit_limit\":" + LIMIT + "}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("raising " + user + "'s credit limit failed: " + response.statusCode()
                        + " " + response.body());
            }
        }
    }
}
