package io.github.ordersaga.inventory.web;

/** Input that cannot be accepted; answered with a 400 problem naming {@link #field()}. */
public class BadInput extends RuntimeException {

    private final String field;

    public BadInput(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
