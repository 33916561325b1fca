package io.github.ordersaga.gateway.order;

import io.github.ordersaga.api.WireRules;

/** Ids a client sends (items, users, order ids to look up): the published language's rule, {@link WireRules#idViolation}. */
public final class Identifiers {

    private Identifiers() {
    }

    public static String requireValid(String field, String value) {
        String why = WireRules.idViolation(value);
        if (why != null) {
            throw new InvalidRequestException(field, field + " " + why);
        }
        return value;
    }
}
