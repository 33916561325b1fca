package io.github.ordersaga.gateway.order;

/** Pub/Sub did not take the order: answered with 503, and nothing was recorded. */
public class PublishFailedException extends RuntimeException {
    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
