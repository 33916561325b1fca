package io.github.ordersaga.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Every operator endpoint that takes a body takes JSON: a body sent to one ({@link OperatorPaths}) without a JSON
 * Content-Type gets a 415 problem naming the field, as the gateway's {@code POST /order} does. One rule for every
 * service, whatever each controller declares (the inventory's item endpoints declare no media type) and whatever
 * the Accept header says.
 */
@Order(Ordered.HIGHEST_PRECEDENCE + 2) // after the operator token: a caller without it learns nothing more
public class JsonBodyFilter extends OncePerRequestFilter {

    private final OperatorPaths operatorPaths;

    JsonBodyFilter(OperatorPaths operatorPaths) {
        this.operatorPaths = operatorPaths;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
        return !hasBody || !operatorPaths.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isJson(request.getContentType())) {
            chain.doFilter(request, response);
        } else {
            ProblemResponse.write(request, response, ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json",
                    "Content-Type");
        }
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            return JsonInput.isJson(MediaType.parseMediaType(contentType));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }
}
