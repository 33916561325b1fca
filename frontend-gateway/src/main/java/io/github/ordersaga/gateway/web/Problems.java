package io.github.ordersaga.gateway.web;

import io.github.ordersaga.gateway.live.LiveFeed;
import io.github.ordersaga.gateway.order.InvalidRequestException;
import io.github.ordersaga.gateway.order.PublishFailedException;
import io.github.ordersaga.gateway.query.ReadModel.ReadModelUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as an RFC 9457 problem ({@code application/problem+json}). Client mistakes are 4xx and name
 * the field; an unavailable dependency is 503; nothing the client sends can cause a 500.
 */
@RestControllerAdvice
public class Problems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidRequestException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(e.status()), e.getMessage());
        problem.setTitle(e.status() == 413 ? "Body too large" : e.status() == 415 ? "Unsupported media type" : "Invalid request");
        problem.setProperty("field", e.field());
        return ResponseEntity.status(e.status()).body(problem);
    }

    @ExceptionHandler(ReadController.NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(ReadController.NotFoundException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Not found");
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
    }

    @ExceptionHandler({PublishFailedException.class, ReadModelUnavailableException.class, LiveFeed.TooManyClientsException.class})
    ResponseEntity<ProblemDetail> unavailable(RuntimeException e) {
        log.warn("Answering 503: {} ({})", e.getMessage(), e.getCause() == null ? "" : e.getCause().toString());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        problem.setTitle("Service unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1").body(problem);
    }

    /** Two requests with one Idempotency-Key at the same moment: the second may retry. */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> conflict(DataIntegrityViolationException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "a request with this Idempotency-Key is being handled; retry");
        problem.setTitle("Conflict");
        problem.setProperty("field", "Idempotency-Key");
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
    }
}
