package io.github.ordersaga.system.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Hostile input for the gateway: generates distinct malformed requests against every endpoint it exposes, sends
 * them one after the other and reports every answer that is not a 4xx with an RFC 9457 problem document
 * ({@code application/problem+json} with {@code status} and a {@code title} or {@code detail}). Every request
 * generated is wrong somehow, so a 2xx is a failure too; so is a 5xx or no answer at all.
 *
 * <p>Deterministic for a seed: the same seed gives the same requests in the same order.
 */
public final class BadInput {

    /**
     * What happened. {@code failures} names each request that was answered with anything but a 4xx problem,
     * {@code byKind} how many requests of each kind were sent.
     */
    public record Result(int sent, Map<Integer, Integer> byStatus, Map<String, Integer> byKind, List<String> failures,
                         boolean healthyAfter) {
    }

    /** One malformed request; {@code status} of -1 in the histogram means no answer. */
    record Probe(String kind, String description, HttpRequest request, String fingerprint) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALID = "{\"item\":\"widget\",\"quantity\":5,\"user\":\"jack\"}";
    /** Bodies of several MB are slow to build and send: about one request in this many is one. */
    private static final int HUGE_EVERY = 60;

    private BadInput() {
    }

    public static Result run(URI gateway, int count, long seed) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        List<Probe> probes = generate(gateway, count, seed);
        Map<Integer, Integer> byStatus = new TreeMap<>();
        Map<String, Integer> byKind = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            Probe probe = probes.get(i);
            byKind.merge(probe.kind(), 1, Integer::sum);
            int status;
            String problem;
            try {
                HttpResponse<byte[]> response = http.send(probe.request(), HttpResponse.BodyHandlers.ofByteArray());
                status = response.statusCode();
                problem = judge(response);
            } catch (IOException e) {
                status = -1;
                problem = "no answer: " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            byStatus.merge(status, 1, Integer::sum);
            if (problem != null) {
                failures.add("#" + i + " " + probe.kind() + " | " + probe.description() + " -> " + status + ": " + problem);
            }
        }
        return new Result(probes.size(), byStatus, byKind, failures, healthy(http, gateway));
    }

    /** Null when the answer is a 4xx problem document, otherwise what is wrong with it. */
    static String judge(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String body = new String(response.body(), StandardCharsets.UTF_8);
        String shown = body.length() > 120 ? body.substring(0, 120) + "..." : body;
        if (status < 400 || status >= 500) {
            return "not a 4xx; body " + shown;
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.toLowerCase().startsWith("application/problem+json")) {
            return "Content-Type '" + type + "', body " + shown;
        }
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem == null || !problem.isObject() || problem.path("status").asInt() != status
                    || !(problem.hasNonNull("title") || problem.hasNonNull("detail"))) {
                return "problem without status/title/detail: " + shown;
            }
        } catch (IOException e) {
            return "problem body is not JSON: " + shown;
        }
        return null;
    }

    private static boolean healthy(HttpClient http, URI gateway) {
        try {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(gateway.resolve("/actuator/health"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200 && JSON.readTree(health.body()).path("status").asText().equals("UP");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ------------------------------------------------------------------ generation

    /** {@code count} distinct requests; a kind is picked at random for each, with random details. */
    static List<Probe> generate(URI gateway, int count, long seed) {
        Random random = new Random(seed);
        Generator g = new Generator(gateway, random);
        List<Function<Generator, Probe>> kinds = List.of(
                Generator::brokenJson, Generator::wrongTypes, Generator::hugeNumbers, Generator::oddEncodings,
                Generator::pathTricks, Generator::queryTricks, Generator::wrongMethods, Generator::contentTypes,
                Generator::acceptHeaders, Generator::idempotencyKeys, Generator::bigBodies);
        List<Probe> probes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int attempts = 0;
        while (probes.size() < count) {
            if (++attempts > count * 100) {
                throw new IllegalStateException("only " + probes.size() + " distinct requests after " + attempts + " tries");
            }
            Probe probe = (random.nextInt(HUGE_EVERY) == 0 ? Generator.hugeBodies() : kinds.get(random.nextInt(kinds.size()))).apply(g);
            if (probe != null && seen.add(probe.fingerprint())) {
                probes.add(probe);
            }
        }
        return probes;
    }

    /** Builds the requests; returns null for one the JDK's client refuses to send (an illegal URI or header). */
    private static final class Generator {
        private static final String[] ENDPOINTS_GET = {"/orders/%s", "/inventory/%s", "/invoices/%s"};
        private static final String[] ALL_PATHS = {"/order", "/orders/" + "0f6bd0a4-5d4e-4a4e-9c47-0b6f2c8b1d11",
                "/orders?user=jack", "/inventory", "/inventory/widget", "/invoices/0f6bd0a4-5d4e-4a4e-9c47-0b6f2c8b1d11",
                "/events", "/actuator/health", "/actuator/info", "/actuator", "/openapi", "/openapi/ui", "/",
                "/index.html", "/app.js", "/error", "/nowhere"};

        private final String base;
        private final Random random;

        Generator(URI gateway, Random random) {
            this.base = gateway.toString().replaceAll("/+$", "");
            this.random = random;
        }

        // --- the kinds

        Probe brokenJson() {
            String body;
            String what;
            switch (random.nextInt(6)) {
                case 0 -> {
                    int cut = random.nextInt(VALID.length());
                    body = VALID.substring(0, cut);
                    what = "truncated at " + cut;
                }
                case 1 -> {
                    String garbage = pick("x", "}", "]", "{}", ",", "[]", "\"\"", "null", "{\"a\":1}", "\u0000", "<", ";--");
                    body = VALID + pick("", " ", "\n") + garbage;
                    what = "trailing " + escape(garbage);
                }
                case 2 -> {
                    String open = pick("{", "[", "{{", "[{", "{\"a\":[", "{\"a\":{");
                    body = random.nextBoolean() ? open + VALID : VALID.substring(0, VALID.length() - 1) + pick("]", "}}", ",]", ",");
                    what = "unbalanced";
                }
                case 3 -> {
                    body = pick(
                            "{'item':'widget','quantity':5,'user':'jack'}",
                            "{item:\"widget\",quantity:5,user:\"jack\"}",
                            "{\"item\":\"widget\",\"quantity\":5,\"user\":\"jack\",}",
                            "{\"item\":\"widget\",\"quantity\":5,,\"user\":\"jack\"}",
                            "{\"item\":\"widget\" \"quantity\":5 \"user\":\"jack\"}",
                            "{\"item\":\"widget\",\"quantity\":5,\"user\":\"jack\" // c\n}",
                            "{\"item\":\"widget\",/* c */\"quantity\":5,\"user\":\"jack\"}",
                            "{\"item\":\"widget\",\"quantity\":NaN,\"user\":\"jack\"}",
                            "{\"item\":\"widget\",\"quantity\":Infinity,\"user\":\"jack\"}",
                            "{\"item\":\"widget\",\"quantity\":+5,\"user\":\"jack\"}",
                            "{\"item\":\"widget\",\"quantity\":05,\"user\":\"jack\"}",
                            "{\"item\":\"widget\",\"quantity\":0x10,\"user\":\"jack\"}",
                            "{\"item\":\"widget\",\"quantity\":5,\"user\":\"jack\"\"}",
                            "{\"item\":\"wid\nget\",\"quantity\":5,\"user\":\"jack\"}",
                            "{\"item\":\"widget\\x41\",\"quantity\":5,\"user\":\"jack\"}",
                            "{\"item\":\"widget\\u12\",\"quantity\":5,\"user\":\"jack\"}",
                            "{\"item\":\"widget\",\"item\":\"wotsit\",\"quantity\":5,\"user\":\"jack\"}",
                            "{\"item\":\"widget\",\"quantity\":5,\"user\":\"jack\",\"user\":\"jill\"}",
                            "{\"item\"=\"widget\",\"quantity\"=5,\"user\"=\"jack\"}",
                            "item=widget&quantity=5&user=jack",
                            "<order><item>widget</item></order>",
                            "{\"item\":\"widget\",\"quantity\":5,\"user\":\"jack\"}{\"item\":\"widget\",\"quantity\":5,\"user\":\"jack\"}",
                            "\"" + VALID + "\"", "{\"item\":\"widget\",\"quantity\":true5,\"user\":\"jack\"}",
                            "{\"item\":undefined,\"quantity\":5,\"user\":\"jack\"}", "{", "}", "[", "]", ":", "\"", "nul", "tru");
                    what = "invalid syntax";
                }
                case 4 -> {
                    // Outside strings only: inside one, a stray character is just part of the name.
                    int at = random.nextInt(VALID.length() + 1);
                    if (insideString(VALID, at)) {
                        return null;
                    }
                    body = VALID.substring(0, at) + pick("\"", "{", "}", "[", ":", ",", "\\") + VALID.substring(at);
                    what = "stray character at " + at;
                }
                default -> {
                    int at = random.nextInt(VALID.length());
                    if ("{}\":,5".indexOf(VALID.charAt(at)) < 0) {
                        return null; // a letter of a name: still a valid order
                    }
                    body = VALID.substring(0, at) + VALID.substring(at + 1);
                    what = "character " + at + " dropped";
                }
            }
            return post("broken-json", what, body.getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
        }

        Probe wrongTypes() {
            String field = pick("item", "quantity", "user");
            String value = pick("\"5\"", "[5]", "[]", "{\"n\":5}", "{}", "true", "false", "null", "5.5", "5.0", "5e0", "-5.5",
                    "\"\"", "\" \"", "7", "0", "[\"widget\"]", "{\"item\":\"widget\"}", "\"widget\"");
            Map<String, String> fields = new LinkedHashMap<>(Map.of("item", "\"widget\"", "quantity", "5", "user", "\"jack\""));
            String what;
            switch (random.nextInt(4)) {
                case 0 -> {
                    // A string for item/user, or a whole number for quantity, is right: choose again.
                    if (field.equals("quantity") ? value.matches("\\d+") && !value.equals("0")
                            : value.startsWith("\"") && !value.equals("\"\"") && !value.equals("\" \"")) {
                        return null;
                    }
                    fields.put(field, value);
                    what = field + " as " + value;
                }
                case 1 -> {
                    fields.remove(field);
                    if (random.nextBoolean()) {
                        fields.put(pick("Item", "ITEM", "qty", "Quantity", "usr", "user ", " item"), "\"x\"");
                    }
                    what = field + " missing";
                }
                case 2 -> {
                    // Extra fields are ignored, so each comes with one wrong field.
                    fields.put(field, pick("null", "[]", "\"\"", "-1"));
                    fields.put(pick("extra", "__proto__", "constructor", "$where", "payment-error", "uuid", "status"),
                            pick("1", "{\"$gt\":\"\"}", "[1,2,3]", "null", "\"x\"", "true"));
                    what = "extra field and " + field + " wrong";
                }
                default -> {
                    String root = pick("[]", "[" + VALID + "]", "\"widget\"", "5", "true", "null", "{}", "[[]]", "0", "-1", "\"\"");
                    return post("wrong-types", "root " + root, root.getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
                }
            }
            return post("wrong-types", what, object(fields).getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
        }

        Probe hugeNumbers() {
            String number = pick("1e309", "-1e309", "9223372036854775808", "-9223372036854775809", "9223372036854775807",
                    "2147483648", "-2147483649", "4294967296", "-1", "0", "-0", "1000000000000000000000000000000",
                    "1000001", "1e3", "1E6", "0.0000001", "1.0e-400", "123456789012345678901234567890123456789012345678901",
                    "9".repeat(1000), "-" + "9".repeat(60), "1" + "0".repeat(400), "2147483647", "-2147483648",
                    "0." + "0".repeat(300) + "1", "1e2147483647", "1e-2147483648");
            Map<String, String> fields = new LinkedHashMap<>(Map.of("item", "\"widget\"", "quantity", number, "user", "\"jack\""));
            String what = "quantity " + abbreviate(number);
            if (random.nextInt(4) == 0) {
                // A number where a string belongs.
                String field = pick("item", "user");
                fields.put(field, number);
                fields.put("quantity", "5");
                what = field + " " + abbreviate(number);
            }
            return post("huge-numbers", what, object(fields).getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
        }

        Probe oddEncodings() {
            String what;
            byte[] body;
            String type = "application/json";
            // Where the encoding itself may be legal, the order carries a defect too: it must be refused either way.
            String flawed = pick("{\"item\":\"widget\",\"quantity\":0,\"user\":\"jack\"}",
                    "{\"item\":\"widget\",\"user\":\"jack\"}", "{\"item\":\"widget\",\"quantity\":5}");
            switch (random.nextInt(9)) {
                case 0 -> {
                    byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xFE}, {(byte) 0xC0, (byte) 0xAF},
                            {(byte) 0x80}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                            {(byte) 0xE9}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
                    int which = random.nextInt(bad.length);
                    String field = pick("item", "user");
                    body = concat(("{\"item\":\"" + (field.equals("item") ? "wid" : "widget")).getBytes(StandardCharsets.UTF_8),
                            field.equals("item") ? bad[which] : new byte[0],
                            ("\",\"quantity\":5,\"user\":\"" + (field.equals("user") ? "ja" : "jack")).getBytes(StandardCharsets.UTF_8),
                            field.equals("user") ? bad[which] : new byte[0], "\"}".getBytes(StandardCharsets.UTF_8));
                    what = "invalid UTF-8 #" + which + " in " + field;
                }
                case 1 -> {
                    String charset = pick("UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32", "UTF-32LE");
                    boolean bom = random.nextBoolean();
                    byte[] text = flawed.getBytes(Charset.forName(charset));
                    body = charset.equals("UTF-16") || !bom ? text : concat(bomFor(charset), text);
                    what = charset + (bom ? " with BOM" : "") + ", flawed order";
                    type = pick("application/json", "application/json; charset=" + charset.toLowerCase());
                }
                case 2 -> {
                    body = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, flawed.getBytes(StandardCharsets.UTF_8));
                    what = "UTF-8 BOM, flawed order";
                }
                case 3 -> {
                    String declared = pick("latin1", "ISO-8859-1", "windows-1252", "ascii", "bogus-charset", "utf-7", "\"\"", "UTF-8;x");
                    type = "application/json; charset=" + declared;
                    body = random.nextBoolean() ? flawed.getBytes(StandardCharsets.ISO_8859_1)
                            : "{\"item\":\"caf\u00e9\",\"quantity\":5,\"user\":\"jack\"}".getBytes(StandardCharsets.ISO_8859_1);
                    what = "charset=" + declared + " declared, latin-1 bytes";
                }
                case 4 -> {
                    int at = 1 + random.nextInt(VALID.length() - 1);
                    byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
                    body = concat(Arrays.copyOf(valid, at), new byte[random.nextInt(3) + 1], Arrays.copyOfRange(valid, at, valid.length));
                    what = "NUL bytes at " + at;
                }
                case 5 -> {
                    String s = pick("\\u0000", "\\u0007", "\\u001b[31m", "\\u200f", "\\u202e", "\\u200d", "\\ufeff", "\\ud800",
                            "\\udfff", "\\ud83d", "\\u2066", "\\u0085", "\\n", "\\r\\n", "\\t", "\\u2028", "\\ufffd");
                    String field = pick("item", "user");
                    body = VALID.replace("\"" + (field.equals("item") ? "widget" : "jack") + "\"",
                            "\"" + (field.equals("item") ? "wid" : "ja") + s + "x\"").getBytes(StandardCharsets.UTF_8);
                    what = "escaped " + s + " in " + field;
                }
                case 6 -> {
                    String s = pick("\u200f", "\u202e", "\u200b", "\u2028", "\u2029", "\u0000", "\u001f", "\u007f");
                    String field = pick("item", "user");
                    body = VALID.replace("\"" + (field.equals("item") ? "widget" : "jack") + "\"",
                            "\"" + s + (field.equals("item") ? "widget" : "jack") + "\"").getBytes(StandardCharsets.UTF_8);
                    what = "raw U+" + Integer.toHexString(s.charAt(0)) + " in " + field;
                }
                case 7 -> {
                    String unit = pick("\ud83d\ude00", "x", "\u05d0", "\u00e9", "\ud834\udd1e", "\u4e2d", "a\u0301", "\ud83c\udff3\ufe0f\u200d\ud83c\udf08");
                    int repeat = pickInt(65, 100, 1000, 9_999, 10_001, 50_000);
                    String field = pick("item", "user");
                    String value = unit.repeat(repeat);
                    body = VALID.replace("\"" + (field.equals("item") ? "widget" : "jack") + "\"", JSON.valueToTree(value).toString())
                            .getBytes(StandardCharsets.UTF_8);
                    what = field + " of " + repeat + " x " + escape(unit);
                }
                default -> {
                    String value = pick("\ud83d\ude00", "\u05d0\u05d1\u05d2", "\u202ewidget", "\u0645\u0631\u062d\u0628\u0627", "\ufffd", "\uffff");
                    body = ("{\"item\":" + JSON.valueToTree(value) + ",\"quantity\":" + pick("0", "-1", "\"1\"") + ",\"user\":"
                            + JSON.valueToTree(value) + "}").getBytes(StandardCharsets.UTF_8);
                    what = "unicode " + escape(value) + ", bad quantity";
                }
            }
            return post("odd-encodings", what, body, type, Map.of());
        }

        Probe pathTricks() {
            String id = pick("..", ".", "%2e%2e", "%2E%2E", "%2e", "%2e%2e%2f", "..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                    "..%5c..%5cwindows", "%00", "a%00b", "%2f", "a%2fb", "%5c", "a%5cb", "a;b", ";jsessionid=1", "%3b", "a%3bb",
                    "x".repeat(65), "x".repeat(1000), "x".repeat(7000), "x".repeat(9000), "%C3%A9", "%E2%80%AE", "%E2%80%8F",
                    "%E2%80%8B", "%F0%9F%98%80", "%F0%9F%98%80".repeat(40), "%FF", "%C0%AF", "%C0%AE%C0%AE", "%ED%A0%80", "__x__",
                    "__name__", "%20", "%09", "%0a", "%0d%0a", "%0d%0aSet-Cookie:%20x=y", "*", "~", "%252e%252e%252f", "%25",
                    "%2525", "../../etc/passwd", "./x", "%7e", "a?b=c", "%3f", "a%23b", "%23", "%2e%2e;",
                    "x%00.json", "%u002e%u002e", "%c0%ae", ".%2e", "%2e.", "x/", "x//y", "CON", "nul", "x.json", "x.xml",
                    "%E2%80%A8", "%EF%BB%BF", "%7B%7D", "%22%3Cscript%3E", "'%20OR%201=1", "$%7Bjndi:ldap://x%7D", "%7b%7b7*7%7d%7d");
            String path = String.format(pick(ENDPOINTS_GET), id);
            if (random.nextInt(5) == 0) {
                path = pick("/orders/", "/inventory/", "/invoices/", "//orders/x", "/orders//", "/%2e%2e/orders", "/orders/x/y",
                        "/ORDERS/x", "/order/x", "/orders%2fx", "/inventory%00", "/inventory/.", "/error", "/error/x", "/error?x=1",
                        "/orders/x%2f..%2f..", "/.%2e/.%2e/etc/passwd", "/actuator/..%2f..%2f", "/actuator/env", "/actuator/heapdump",
                        "/openapi/..%2f", "/WEB-INF/web.xml", "/META-INF/MANIFEST.MF", "/%2e/WEB-INF/web.xml", "/static/../application.yml",
                        "/application.yml", "/..;/..;/", "/x".repeat(2000));
            }
            return request("path-tricks", "GET " + abbreviate(path), path, "GET", null, Map.of());
        }

        Probe queryTricks() {
            String query = pick("", "user=", "user", "user=%00", "user=..", "user=.", "user=a%2fb", "user=__x__", "user=a&user=b",
                    "user=jack&user=jill", "User=jack", "user[]=jack", "user%00=jack", "user=" + "j".repeat(65),
                    "user=" + "j".repeat(10_000), "user=%E2%80%AE", "user=%FF", "user=%C0%AF", "user=%0d%0a", "user=%20", "user=%09",
                    "user=ja%00ck", "user=%ED%A0%80", "=jack", "&&&", "user=%F0%9F%98%80".repeat(30),
                    "user=jack&user=", "user=&user=jack", "user[0]=jack", "user.x=jack");
            return request("query-tricks", "GET /orders?" + abbreviate(query), "/orders" + (query.isEmpty() ? "" : "?" + query),
                    "GET", null, Map.of());
        }

        Probe wrongMethods() {
            String path = pick(ALL_PATHS);
            boolean post = path.equals("/order");
            String method = post ? pick("GET", "PUT", "DELETE", "PATCH", "TRACE", "FOO", "PROPFIND", "MKCOL", "PURGE", "LINK", "get")
                    : pick("POST", "PUT", "DELETE", "PATCH", "TRACE", "FOO", "PROPFIND", "PURGE", "post");
            byte[] body = pick(null, VALID.getBytes(StandardCharsets.UTF_8), "{".getBytes(StandardCharsets.UTF_8),
                    "item=widget&quantity=5&user=jack".getBytes(StandardCharsets.UTF_8));
            String type = body == null ? null : pick("application/json", "application/x-www-form-urlencoded", "text/plain");
            if (method.equals("GET") && body != null) {
                return null; // GET /order with a body: the same as without
            }
            Map<String, String> headers = type == null ? Map.of() : Map.of("Content-Type", type);
            return request("wrong-methods", method + " " + path + (body == null ? "" : " with " + type + " body"), path, method, body, headers);
        }

        Probe contentTypes() {
            String type = pick("text/plain", "application/xml", "text/xml", "text/html", "application/octet-stream", "image/png",
                    "multipart/form-data", "multipart/form-data; boundary=x", "multipart/mixed; boundary=x", "application/jsonx",
                    "application/javascript", "text/json", "application/ndjson", "application/yaml", "*/*", "application/*", "*",
                    "", ";", "json", "application/", "/json", "a b/c",
                    "application/json; =x", "application/json, text/plain", "application/x-www-form-urlencoded; =", "text/plain; charset=utf-8",
                    "application/x-www-form-urlencoded, application/json", "\u00e9/json", "application/json\u00ff", "x-custom/y");
            boolean validBody = random.nextBoolean();
            byte[] body = validBody ? VALID.getBytes(StandardCharsets.UTF_8)
                    : type.startsWith("multipart") ? ("--x\r\nContent-Disposition: form-data; name=\"item\"\r\n\r\nwidget\r\n--x--\r\n")
                    .getBytes(StandardCharsets.UTF_8) : "{\"item\":".getBytes(StandardCharsets.UTF_8);
            return post("content-types", "Content-Type '" + type + "', " + (validBody ? "valid order" : "bad body"), body, type, Map.of());
        }

        Probe acceptHeaders() {
            String accept = pick("application/xml", "text/html", "image/png", "a/b/c", "", "*/*;q=abc", ";", "text/event-stream",
                    "application/json;q=0", "application/problem+xml", "text/plain", "\u00e9", "application/json;q=2", "x".repeat(5000));
            String path = pick("/order", "/orders/nope", "/orders?user=", "/inventory/..%2f", "/invoices/%00", "/events", "/nowhere", "/order");
            if (path.equals("/events")) {
                // Only types that exclude text/event-stream: anything else would open a stream that never ends.
                accept = pick("application/xml", "text/html", "image/png", "text/plain", "application/problem+xml", "application/json");
            }
            if (path.equals("/order")) {
                byte[] body = pick("{\"item\":".getBytes(StandardCharsets.UTF_8), VALID.replace("5", "0").getBytes(StandardCharsets.UTF_8));
                return post("accept-headers", "Accept '" + abbreviate(accept) + "', bad order", body, "application/json", Map.of("Accept", accept));
            }
            return request("accept-headers", "GET " + path + " Accept '" + abbreviate(accept) + "'", path, "GET", null, Map.of("Accept", accept));
        }

        Probe idempotencyKeys() {
            // (Not non-ASCII ones: java.net.http sends them as '?', which is a valid key.)
            String key = pick("", " ", "a b", "x".repeat(201), "x".repeat(1000), "x".repeat(9000), "key\u007f", "tab\tinside",
                    "k\u0001", "a\\b b");
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Idempotency-Key", key);
            String what = "Idempotency-Key '" + abbreviate(escape(key)) + "'";
            byte[] body = VALID.getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(3) == 0) {
                // Two keys for one request: which one would apply?
                return twoKeys(pick("a", "b", "k1"), pick("c", "d", "k2"), body);
            }
            if (random.nextInt(4) == 0) {
                headers.put("traceparent", pick("zz", "00-" + "0".repeat(32) + "-" + "0".repeat(16) + "-00", "x".repeat(500)));
                body = VALID.replace("jack", "").getBytes(StandardCharsets.UTF_8);
                what += ", bad traceparent, empty user";
            }
            return post("idempotency-keys", what, body, "application/json", headers);
        }

        private Probe twoKeys(String first, String second, byte[] body) {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/order")).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json").header("Idempotency-Key", first).header("Idempotency-Key", second)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                return new Probe("idempotency-keys", "two Idempotency-Keys '" + first + "', '" + second + "'", request,
                        "POST /order two keys " + first + second);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        /** Bodies above the gateway's limit (16 KiB) but small: the limit itself, with and without a length. */
        Probe bigBodies() {
            int size = pickInt(16 * 1024 + 1, 17_000, 20_000, 65_536, 100_000, 1_000_000);
            byte[] body = padded(size);
            boolean chunked = random.nextBoolean();
            String path = pick("/order", "/order", "/order", "/orders/x", "/inventory", "/events");
            return sized("big-bodies", size, body, chunked, path);
        }

        /** 2 to 5 MB, as one padded order, one long array or deep nesting. */
        static Function<Generator, Probe> hugeBodies() {
            return g -> {
                int size = g.pickInt(2, 3, 4, 5) * 1024 * 1024 + g.random.nextInt(1000);
                byte[] body = switch (g.random.nextInt(3)) {
                    case 0 -> g.padded(size);
                    case 1 -> ("[" + "1,".repeat(size / 2) + "1]").getBytes(StandardCharsets.UTF_8);
                    default -> ("[".repeat(size / 2) + "]".repeat(size / 2)).getBytes(StandardCharsets.UTF_8);
                };
                return g.sized("huge-bodies", body.length, body, g.random.nextBoolean(), g.pick("/order", "/order", "/orders/x", "/inventory"));
            };
        }

        // --- building

        private Probe sized(String kind, int size, byte[] body, boolean chunked, String path) {
            String method = path.equals("/order") ? "POST" : pick("POST", "PUT", "PATCH");
            HttpRequest.BodyPublisher publisher = chunked
                    ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)) // no length: chunked
                    : HttpRequest.BodyPublishers.ofByteArray(body);
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json").method(method, publisher).build();
                String what = method + " " + path + " " + size + " bytes" + (chunked ? " chunked" : "");
                return new Probe(kind, what, request, what + " " + Arrays.hashCode(body));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        private byte[] padded(int size) {
            String head = "{\"item\":\"widget\",\"quantity\":5,\"user\":\"jack\",\"pad\":\"";
            return (head + "x".repeat(Math.max(0, size - head.length() - 2)) + "\"}").getBytes(StandardCharsets.UTF_8);
        }

        /** A POST /order; a flawed body sometimes goes without a Content-Type (a valid one would then be accepted). */
        private Probe post(String kind, String what, byte[] body, String contentType, Map<String, String> headers) {
            Map<String, String> all = new LinkedHashMap<>();
            boolean flawedBody = !kind.equals("content-types") && !kind.equals("idempotency-keys");
            if (flawedBody && random.nextInt(20) == 0) {
                what += ", no Content-Type";
            } else {
                all.put("Content-Type", contentType);
            }
            all.putAll(headers);
            return request(kind, "POST /order " + what, "/order", "POST", body, all);
        }

        private Probe request(String kind, String what, String pathAndQuery, String method, byte[] body, Map<String, String> headers) {
            try {
                HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(30))
                        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
                headers.forEach(builder::header);
                String fingerprint = method + " " + pathAndQuery + " " + headers + " " + (body == null ? "-" : Arrays.hashCode(body) + "/" + body.length);
                return new Probe(kind, what, builder.build(), fingerprint);
            } catch (IllegalArgumentException e) {
                return null; // java.net.http refuses this URI or header value: it cannot be sent from here
            }
        }

        // --- small helpers

        @SafeVarargs
        private <T> T pick(T... options) {
            return options[random.nextInt(options.length)];
        }

        private int pickInt(int... options) {
            return options[random.nextInt(options.length)];
        }

        private static boolean insideString(String json, int at) {
            return json.substring(0, at).chars().filter(c -> c == '"').count() % 2 == 1;
        }

        private static String object(Map<String, String> fields) {
            StringBuilder json = new StringBuilder("{");
            fields.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
            return json.append('}').toString();
        }

        private static byte[] bomFor(String charset) {
            return switch (charset) {
                case "UTF-16LE" -> new byte[] {(byte) 0xFF, (byte) 0xFE};
                case "UTF-16BE" -> new byte[] {(byte) 0xFE, (byte) 0xFF};
                case "UTF-32LE" -> new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0};
                default -> new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF};
            };
        }

        private static byte[] concat(byte[]... parts) {
            int length = 0;
            for (byte[] part : parts) {
                length += part.length;
            }
            byte[] all = new byte[length];
            int at = 0;
            for (byte[] part : parts) {
                System.arraycopy(part, 0, all, at, part.length);
                at += part.length;
            }
            return all;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 60) + "...(" + s.length() + " chars)" : s;
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }
}
