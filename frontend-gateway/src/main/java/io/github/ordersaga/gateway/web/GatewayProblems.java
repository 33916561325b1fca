package io.github.ordersaga.gateway.web;

import io.github.ordersaga.gateway.live.LiveFeed;
import io.github.ordersaga.gateway.order.PublishFailedException;
import io.github.ordersaga.gateway.query.ReadModel.ReadModelUnavailableException;
import io.github.ordersaga.http.ProblemType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The gateway's own failures as problems; everything else is the shared
 * {@link io.github.ordersaga.http.ProblemAdvice}'s. An unavailable
 * dependency is 503: nothing the client sends can cause a 500.
 */
@RestControllerAdvice
public class GatewayProblems {

    private static final Logger log = LoggerFactory.getLogger(GatewayProblems.class);

    @ExceptionHandler({PublishFailedException.class, ReadModelUnavailableException.class, LiveFeed.TooManyClientsException.class})
    ResponseEntity<ProblemDetail> unavailable(RuntimeException e) {
        log.warn("Answering 503: {} ({})", e.getMessage(), e.getCause() == null ? "" : e.getCause().toString());
        return ProblemType.UNAVAILABLE.answer(e.getMessage(), null);
    }

    /** Two requests with one Idempotency-Key at the same moment: the second may retry. */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> conflict(DataIntegrityViolationException e) {
        return ProblemType.CONFLICT.answer("a request with this Idempotency-Key is being handled; retry",
                "Idempotency-Key");
    }
}
