package io.github.ordersaga.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem written by a filter, before Spring MVC (and its content negotiation) sees the request: the
 * type is always {@code application/problem+json}, whatever the request's Accept header says.
 */
final class ProblemResponse {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemResponse() {
    }

    static void write(HttpServletRequest request, HttpServletResponse response, int status, String title, String detail,
                      String field) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        if (field != null) {
            problem.put("field", field);
        }
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(), problem);
    }
}
