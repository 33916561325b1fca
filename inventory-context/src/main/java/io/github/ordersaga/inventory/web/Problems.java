package io.github.ordersaga.inventory.web;

import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * RFC 9457 problem bodies for the admin endpoints; {@code field} names the input at fault. Ahead of Spring Boot's
 * own problem handler (spring.mvc.problemdetails), which answers everything else (405, 415, ...) without a field.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class Problems {

    @ExceptionHandler(BadInput.class)
    public ProblemDetail badInput(BadInput e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid input", e.getMessage(), e.field());
    }

    /** Malformed JSON, or no body at all. */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ProblemDetail unreadable(HttpMessageNotReadableException e) {
        return problem(HttpStatus.BAD_REQUEST, "Unreadable body", "the body must be a JSON object", "body");
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    public ProblemDetail unknownItem(AggregateNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Unknown item", "no item '" + e.getAggregateIdentifier() + "'", "item");
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail, String field) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setProperty("field", field);
        return problem;
    }
}
