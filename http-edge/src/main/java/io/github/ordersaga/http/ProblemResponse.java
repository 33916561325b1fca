package io.github.ordersaga.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem written before Spring MVC (and its content negotiation) sees the request, by a filter or by
 * Tomcat's error report: the type is always {@code application/problem+json}, whatever the Accept header says. The
 * same members as {@link ProblemAdvice}'s, from the same {@link ProblemType}.
 */
final class ProblemResponse {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemResponse() {
    }

    static void write(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail,
                      String field) throws IOException {
        response.setStatus(type.status());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (type == ProblemType.UNAVAILABLE) {
            response.setHeader(HttpHeaders.RETRY_AFTER, ProblemType.RETRY_AFTER_SECONDS);
        }
        JSON.writeValue(response.getOutputStream(), body(type.status(), type, detail, request.getRequestURI(), field));
    }

    /** The problem of a status alone ({@link ProblemType#ofStatus}), without an instance. */
    static byte[] bytes(int status, String detail) throws IOException {
        return JSON.writeValueAsBytes(body(status, ProblemType.ofStatus(status).orElse(null), detail, null, null));
    }

    /** {@code type} null: {@code about:blank}, titled with the reason phrase. */
    private static Map<String, Object> body(int status, ProblemType type, String detail, String instance, String field) {
        HttpStatus known = HttpStatus.resolve(status);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", type == null ? "about:blank" : type.uri().toString());
        problem.put("title", type != null ? type.title() : known == null ? "Error" : known.getReasonPhrase());
        problem.put("status", status);
        problem.put("detail", detail);
        if (instance != null) {
            problem.put("instance", instance);
        }
        if (field != null) {
            problem.put("field", field);
        }
        return problem;
    }
}
