package io.github.ordersaga.order.web;

/** Bad input to an admin endpoint: answered with a 400 problem naming the field; no command is sent. */
public class InvalidInputException extends RuntimeException {

    private final String field;

    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
