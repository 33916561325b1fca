package io.github.ordersaga.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The operator endpoints ({@link OperatorPaths}) answer only a request with {@code Authorization: Bearer <token>},
 * the token being {@code ordersaga.operator-token} (env {@code ORDERSAGA_OPERATOR_TOKEN}); anything else gets a 401
 * problem with {@code WWW-Authenticate: Bearer}. With no token configured they answer nobody: a service that others
 * can reach must not be administrable by default ({@code bin/ordersaga up} always gives its services one).
 */
@Order(Ordered.HIGHEST_PRECEDENCE + 1) // after the body limit: an oversized body is refused without reading it
public class OperatorTokenFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(OperatorTokenFilter.class);
    private static final String BEARER = "Bearer ";

    private final OperatorPaths operatorPaths;
    /** SHA-256 of the token, null when none is configured. Compared as digests: same length, constant time. */
    private final byte[] tokenDigest;

    OperatorTokenFilter(OperatorPaths operatorPaths, String token) {
        this.operatorPaths = operatorPaths;
        this.tokenDigest = token == null || token.isBlank() ? null : sha256(token.strip());
        if (tokenDigest == null) {
            log.warn("No operator token configured (ORDERSAGA_OPERATOR_TOKEN): {} answer 401", operatorPaths);
        } else {
            log.info("Operator endpoints {} need Authorization: Bearer <ORDERSAGA_OPERATOR_TOKEN>", operatorPaths);
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !operatorPaths.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (tokenDigest == null) {
            refuse(request, response, "no operator token is configured on this service: start it with "
                    + "ORDERSAGA_OPERATOR_TOKEN (or ordersaga.operator-token) set; bin/ordersaga up sets one");
        } else if (!carriesToken(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            refuse(request, response, "an operator endpoint: send Authorization: Bearer <operator token>");
        } else {
            chain.doFilter(request, response);
        }
    }

    private boolean carriesToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        return MessageDigest.isEqual(sha256(authorization.substring(BEARER.length()).strip()), tokenDigest);
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        ProblemResponse.write(request, response, ProblemType.UNAUTHORIZED, detail, null);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
