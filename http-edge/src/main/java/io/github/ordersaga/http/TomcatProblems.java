package io.github.ordersaga.http;

import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Requests Tomcat refuses before any servlet sees them (an encoded {@code /} or NUL in the path, a path above the
 * root, invalid %-escapes, headers over the size limit) are answered by the host's error report valve, by default
 * with an HTML page. This puts a valve there that writes a problem document instead.
 */
public class TomcatProblems implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            Host host = (Host) context.getParent();
            // Boot has added a plain ErrorReportValve (customizers ordered before this one): replace it.
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) {
                    host.getPipeline().removeValve(valve);
                }
            }
            host.getPipeline().addValve(new ProblemReportValve());
            if (host instanceof StandardHost standard) { // else the host would add its default one on start
                standard.setErrorReportValveClass(ProblemReportValve.class.getName());
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** Tomcat's error report as {@code application/problem+json} of the status's {@link ProblemType}; the same checks as its HTML one. */
    public static class ProblemReportValve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean(true);
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            // Tomcat's own messages ("Invalid URI", ...) are fixed texts; a 5xx says nothing of the cause.
            String message = response.getMessage();
            String detail = status < 500 && message != null && !message.isBlank() ? message
                    : status < 500 ? "the request could not be processed" : "internal error";
            try {
                byte[] body = ProblemResponse.bytes(status, detail);
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                if (status == ProblemType.UNAVAILABLE.status()) {
                    response.setHeader(HttpHeaders.RETRY_AFTER, ProblemType.RETRY_AFTER_SECONDS);
                }
                response.setContentLength(body.length);
                OutputStream out = response.getOutputStream();
                out.write(body);
                out.flush();
            } catch (IOException | IllegalStateException e) {
                // the client is gone or the response is unusable: nothing more to tell
            }
        }
    }
}
