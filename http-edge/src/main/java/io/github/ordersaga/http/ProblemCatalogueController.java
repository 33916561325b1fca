package io.github.ordersaga.http;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a problem's {@code type} resolves to, on every service and open to anyone: {@code GET /problems/<slug>}
 * describes one {@link ProblemType}, {@code GET /problems} lists them all.
 */
@RestController
public class ProblemCatalogueController {

    @GetMapping(path = ProblemType.PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    public List<Map<String, Object>> all() {
        return Arrays.stream(ProblemType.values()).map(ProblemCatalogueController::describe).toList();
    }

    @GetMapping(path = ProblemType.PATH + "/{slug}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> one(@PathVariable String slug) {
        return ProblemType.ofSlug(slug).map(ProblemCatalogueController::describe).orElseThrow(() ->
                new ProblemException(ProblemType.NOT_FOUND, "slug", "no problem type '" + slug + "'; GET "
                        + ProblemType.PATH + " lists them"));
    }

    private static Map<String, Object> describe(ProblemType type) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("type", type.uri().toString());
        described.put("title", type.title());
        described.put("status", type.status());
        described.put("description", type.description());
        return described;
    }
}
