package io.github.ordersaga.gateway.order;

/** Bad input from a client: answered with a 4xx problem naming the field; nothing is published. */
public class InvalidRequestException extends RuntimeException {

    private final String field;
    private final int status;

    public InvalidRequestException(String field, String message) {
        this(400, field, message);
    }

    public InvalidRequestException(int status, String field, String message) {
        super(message);
        this.field = field;
        this.status = status;
    }

    public String field() {
        return field;
    }

    public int status() {
        return status;
    }
}
