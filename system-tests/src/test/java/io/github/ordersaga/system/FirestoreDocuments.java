package io.github.ordersaga.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Reads a whole collection through the Firestore emulator's REST API (documents with their {@code updateTime}). */
public final class FirestoreDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private FirestoreDocuments() {
    }

    /** Every document of a collection, by id. */
    public static Map<String, JsonNode> all(String emulatorHost, String project, String collection) {
        Map<String, JsonNode> all = new HashMap<>();
        String pageToken = "";
        do {
            String url = "http://" + emulatorHost + "/v1/projects/" + project
                    + "/databases/(default)/documents/" + collection + "?pageSize=1000"
                    + (pageToken.isEmpty() ? "" : "&pageToken=" + URLEncoder.encode(pageToken, StandardCharsets.UTF_8));
            JsonNode page;
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer owner").timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("Firestore " + collection + ": " + response.statusCode() + " " + response.body());
                }
                page = JSON.readTree(response.body());
            } catch (IOException e) {
                throw new IllegalStateException("cannot read Firestore " + collection, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            for (JsonNode document : page.path("documents")) {
                String name = document.path("name").asText();
                all.put(name.substring(name.lastIndexOf('/') + 1), document);
            }
            pageToken = page.path("nextPageToken").asText("");
        } while (!pageToken.isEmpty());
        return all;
    }

    /** A string or integer field's value as text, or null. */
    public static String field(JsonNode document, String name) {
        if (document == null) {
            return null;
        }
        JsonNode value = document.path("fields").path(name);
        if (value.has("stringValue")) {
            return value.get("stringValue").asText();
        }
        return value.has("integerValue") ? value.get("integerValue").asText() : null;
    }
}
