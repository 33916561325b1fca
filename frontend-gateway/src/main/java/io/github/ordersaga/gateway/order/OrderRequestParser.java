package io.github.ordersaga.gateway.order;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.ordersaga.http.JsonInput;
import io.github.ordersaga.http.ProblemException;
import io.github.ordersaga.http.ProblemType;

/**
 * Reads and validates the body of {@code POST /order}:
 * {@code {"item":"widget","quantity":50,"user":"jack"}}, with an optional {@code "payment-error"} key (any
 * value: its presence asks for the sample's simulated payment failure). Unknown keys are ignored.
 */
public final class OrderRequestParser {

    /** Largest quantity one order may ask for (the sample's failing order asks for 500000). */
    public static final int MAX_QUANTITY = 1_000_000;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(20).maxNumberLength(50).maxStringLength(10_000).build());
    }

    private OrderRequestParser() {
    }

    public static OrderRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw malformed("body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw malformed("body could not be read");
        }
        if (root == null || root.isMissingNode()) {
            throw malformed("body must be a JSON object, it is empty");
        }
        JsonInput.object(root);
        String item = JsonInput.id("item", JsonInput.text(root, "item"));
        String user = JsonInput.id("user", JsonInput.text(root, "user"));
        int quantity = (int) JsonInput.number(root, "quantity", 1, MAX_QUANTITY);
        return new OrderRequest(item, quantity, user, root.has("payment-error"));
    }

    private static ProblemException malformed(String detail) {
        return new ProblemException(ProblemType.MALFORMED_BODY, "body", detail);
    }
}
