package io.github.ordersaga.gateway.web;

import io.github.ordersaga.gateway.live.LiveFeed;
import io.github.ordersaga.gateway.order.InvalidRequestException;
import io.github.ordersaga.gateway.order.PublishFailedException;
import io.github.ordersaga.gateway.query.ReadModel.ReadModelUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as an RFC 9457 problem ({@code application/problem+json}). Client mistakes are 4xx and name
 * the field; an unavailable dependency is 503; nothing the client sends can cause a 500. The type is set here,
 * not negotiated: an Accept header that excludes it, or cannot be parsed, would otherwise leave the body empty.
 */
@RestControllerAdvice
public class Problems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidRequestException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(e.status()), e.getMessage());
        problem.setTitle(e.status() == 413 ? "Body too large" : e.status() == 415 ? "Unsupported media type" : "Invalid request");
        problem.setProperty("field", e.field());
        return problem(e.status(), problem);
    }

    @ExceptionHandler(ReadController.NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(ReadController.NotFoundException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Not found");
        return problem(404, problem);
    }

    @ExceptionHandler({PublishFailedException.class, ReadModelUnavailableException.class, LiveFeed.TooManyClientsException.class})
    ResponseEntity<ProblemDetail> unavailable(RuntimeException e) {
        log.warn("Answering 503: {} ({})", e.getMessage(), e.getCause() == null ? "" : e.getCause().toString());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        problem.setTitle("Service unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** Two requests with one Idempotency-Key at the same moment: the second may retry. */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> conflict(DataIntegrityViolationException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "a request with this Idempotency-Key is being handled; retry");
        problem.setTitle("Conflict");
        problem.setProperty("field", "Idempotency-Key");
        return problem(409, problem);
    }

    /** Spring MVC's own exceptions (405, 406, 415, missing parameter, no such resource, ...). */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
                                                          WebRequest request) {
        HttpHeaders typed = new HttpHeaders();
        typed.addAll(headers);
        if (body instanceof ProblemDetail) {
            typed.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        return super.createResponseEntity(body, typed, statusCode, request);
    }

    private static ResponseEntity<ProblemDetail> problem(int status, ProblemDetail problem) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
