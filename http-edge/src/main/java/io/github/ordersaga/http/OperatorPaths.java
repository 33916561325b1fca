package io.github.ordersaga.http;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.util.List;

/**
 * Which requests go to an operator endpoint ({@code ordersaga.http.operator-paths}); {@code /actuator/health} and
 * its sub-paths never do. Matched against the path as Tomcat decoded and normalised it ({@code ..}, {@code //} and
 * {@code ;params} resolved), ignoring case: a path Spring would route to one of these endpoints always matches,
 * whatever spelling reached it.
 */
final class OperatorPaths {

    private static final PathPatternParser PARSER = new PathPatternParser();

    static {
        PARSER.setCaseSensitive(false);
    }

    private static final PathPattern HEALTH = PARSER.parse("/actuator/health/**");

    private final List<PathPattern> patterns;

    OperatorPaths(List<String> patterns) {
        this.patterns = patterns.stream().map(PARSER::parse).toList();
    }

    boolean matches(HttpServletRequest request) {
        String decoded = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        // Already decoded: parsed as it is, so a '%' left in it is no escape.
        PathContainer path = PathContainer.parsePath(decoded, PathContainer.Options.create('/', false));
        return !HEALTH.matches(path) && patterns.stream().anyMatch(p -> p.matches(path));
    }

    @Override
    public String toString() {
        return patterns.toString();
    }
}
