package io.github.ordersaga.http;

import com.fasterxml.jackson.databind.JsonMappingException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.util.stream.Collectors;

/**
 * Every refusal Spring MVC sees, in every service, as an RFC 9457 problem ({@code application/problem+json}) of a
 * {@link ProblemType}: a {@link ProblemException}, unreadable JSON (naming the field where Jackson knows it), and
 * Spring MVC's own exceptions (405, 406, 415, missing parameter, no such resource, ...). The content type is set
 * here, not negotiated: an Accept header that excludes it, or cannot be parsed, would otherwise leave the body empty.
 * Replaces Boot's problem-details handler. Last in order: a service's own advice for its own exceptions comes first.
 */
@Order(Ordered.LOWEST_PRECEDENCE)
@RestControllerAdvice
public class ProblemAdvice extends ResponseEntityExceptionHandler {

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> refused(ProblemException e) {
        return e.type().answer(e.getMessage(), e.field());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        if (e.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream().map(r -> r.getFieldName() != null
                    ? r.getFieldName() : "[" + r.getIndex() + "]").collect(Collectors.joining("."));
            return untyped(ProblemType.INVALID_INPUT.answer(field + " has the wrong type or format", field));
        }
        return untyped(ProblemType.MALFORMED_BODY.answer("body must be a JSON object", "body"));
    }

    /** Spring MVC's own exceptions: the type of their status, and always {@code application/problem+json}. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
                                                          WebRequest request) {
        HttpHeaders typed = new HttpHeaders();
        typed.addAll(headers);
        if (body instanceof ProblemDetail problem) {
            typed.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            ProblemType.ofStatus(statusCode.value()).ifPresent(type -> {
                problem.setType(type.uri());
                problem.setTitle(type.title());
                if (type == ProblemType.UNAVAILABLE && !typed.containsKey(HttpHeaders.RETRY_AFTER)) {
                    typed.set(HttpHeaders.RETRY_AFTER, ProblemType.RETRY_AFTER_SECONDS);
                }
            });
        }
        return super.createResponseEntity(body, typed, statusCode, request);
    }

    private static ResponseEntity<Object> untyped(ResponseEntity<ProblemDetail> response) {
        return new ResponseEntity<>(response.getBody(), response.getHeaders(), response.getStatusCode());
    }
}
