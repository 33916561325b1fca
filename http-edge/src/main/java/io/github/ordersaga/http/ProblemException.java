package io.github.ordersaga.http;

/**
 * A request refused with a problem of a {@link ProblemType}: thrown by a controller or {@link JsonInput}, answered by
 * {@link ProblemAdvice}. Nothing was done for the request.
 */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final String field;

    /** {@code field} names the input at fault; null when none is. */
    public ProblemException(ProblemType type, String field, String detail) {
        super(detail);
        this.type = type;
        this.field = field;
    }

    /** An {@link ProblemType#INVALID_INPUT}: {@code field} has a value the service does not take. */
    public static ProblemException invalid(String field, String detail) {
        return new ProblemException(ProblemType.INVALID_INPUT, field, detail);
    }

    public ProblemType type() {
        return type;
    }

    public String field() {
        return field;
    }
}
