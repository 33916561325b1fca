package io.github.ordersaga.http;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;

/**
 * Errors that never reach a controller (Tomcat's {@code sendError} for {@code /WEB-INF}, a TRACE, a wrong method
 * on the welcome page, an exception in a filter) are forwarded here: a problem document like every other error,
 * whatever the Accept header says. Replaces Boot's {@code BasicErrorController}.
 */
@RestController
public class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    public ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // Asked for directly, /error is just a resource that does not exist.
        int status = code instanceof Integer c && c >= 400 ? c : 404;
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri instanceof String u ? u : request.getRequestURI();
        String detail = status < 500 && message instanceof String m && !m.isBlank() ? m
                : status == 404 ? "No resource " + path + "."
                : status < 500 ? "the request could not be processed" : "internal error";
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
        ProblemType.ofStatus(status).ifPresentOrElse(type -> {
            problem.setType(type.uri());
            problem.setTitle(type.title());
        }, () -> {
            HttpStatus known = HttpStatus.resolve(status);
            problem.setTitle(known == null ? "Error" : known.getReasonPhrase());
        });
        try {
            problem.setInstance(URI.create(path)); // the request's, not /error
        } catch (IllegalArgumentException e) {
            // not a valid URI reference: leave it out
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (status == ProblemType.UNAVAILABLE.status()) {
            response.header(HttpHeaders.RETRY_AFTER, ProblemType.RETRY_AFTER_SECONDS);
        }
        return response.body(problem);
    }
}
