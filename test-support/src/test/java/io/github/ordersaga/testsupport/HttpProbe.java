package io.github.ordersaga.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Talks to the emulators over their REST endpoints, to see they really serve. */
final class HttpProbe {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private HttpProbe() {
    }

    static HttpResponse<String> get(String hostPort, String path) {
        return send(HttpRequest.newBuilder(uri(hostPort, path)).GET());
    }

    static HttpResponse<String> put(String hostPort, String path, String json) {
        return send(HttpRequest.newBuilder(uri(hostPort, path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    static HttpResponse<String> patch(String hostPort, String path, String json) {
        return send(HttpRequest.newBuilder(uri(hostPort, path))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    /** True when something accepts a connection and answers on that port. */
    static boolean answers(String hostPort) {
        try {
            CLIENT.send(HttpRequest.newBuilder(uri(hostPort, "/")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URI uri(String hostPort, String path) {
        return URI.create("http://" + hostPort + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
