package io.github.ordersaga.http;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import java.net.URI;
import java.util.Arrays;
import java.util.Optional;

/**
 * Every kind of problem the services answer (RFC 9457): its {@code type} is {@code /problems/<slug>}, a reference
 * relative to the service that answered, where {@link ProblemCatalogueController} describes it; docs/problems.md has a
 * section for each slug. A slug, once published, keeps its meaning: clients branch on it.
 */
public enum ProblemType {

    INVALID_INPUT("invalid-input", 400, "Invalid input",
            "A value the service does not take: the problem's field names it (a body field, a path segment, a query "
                    + "parameter or a header) and its detail says why. Correct that value before sending again."),
    MALFORMED_BODY("malformed-body", 400, "Malformed body",
            "The body is not a JSON object: not JSON at all, empty, or another JSON value. Its field is body."),
    BAD_REQUEST("bad-request", 400, "Bad request",
            "The request could not be read as sent, before any field could be judged: an invalid path or %-escape, "
                    + "headers over the size limit, a query parameter missing or of the wrong type."),
    UNAUTHORIZED("unauthorized", 401, "Unauthorized",
            "An operator endpoint (/admin, /sagas, /actuator beyond health) without Authorization: Bearer <operator "
                    + "token>, or with another token; the answer carries WWW-Authenticate: Bearer."),
    CROSS_SITE_REQUEST("cross-site-request", 403, "Cross-site request",
            "A request whose Origin is not the gateway itself: a web page elsewhere may not place orders in a "
                    + "visitor's name. Clients other than browsers send no Origin."),
    NOT_FOUND("not-found", 404, "Not found",
            "No such resource: no order, item or invoice of that id (its field, where given, names the id), or no "
                    + "endpoint at that path."),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed",
            "The path exists but not for this method; the Allow header lists the ones it takes."),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable",
            "The Accept header excludes every type the endpoint can answer with."),
    CONFLICT("conflict", 409, "Conflict",
            "The request clashes with work in progress: another request with the same Idempotency-Key is being "
                    + "handled, or a projection replay cannot start here. The detail says which; retrying later may succeed."),
    BODY_TOO_LARGE("body-too-large", 413, "Body too large",
            "The body is over the service's limit (ordersaga.http.max-body-bytes, 16 KiB by default); the connection "
                    + "is closed after the answer."),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type",
            "A body whose Content-Type is not JSON (application/json or a +json type), or none at all; the field is "
                    + "Content-Type."),
    IDEMPOTENCY_KEY_REUSE("idempotency-key-reuse", 422, "Idempotency-Key reused",
            "The Idempotency-Key was already used with a different request. A retry must send the same request "
                    + "with the same key; a new request needs a new key."),
    INTERNAL_ERROR("internal-error", 500, "Internal error",
            "The service failed on a request it should have handled; the detail says nothing more, the service's "
                    + "log does."),
    UNAVAILABLE("unavailable", 503, "Service unavailable",
            "A dependency (Pub/Sub, Firestore, the database) is unavailable or the service is at its limit; nothing "
                    + "was done. Retry after the Retry-After header's seconds.");

    /** Where the catalogue is served; a type is this plus {@code /<slug>}. */
    public static final String PATH = "/problems";
    /** Seconds an {@link #UNAVAILABLE} answer asks the client to wait. */
    static final String RETRY_AFTER_SECONDS = "1";

    private final String slug;
    private final int status;
    private final String title;
    private final String description;

    ProblemType(String slug, int status, String title, String description) {
        this.slug = slug;
        this.status = status;
        this.title = title;
        this.description = description;
    }

    public String slug() {
        return slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    /** The problem's {@code type}: relative, so it resolves against whichever service answered. */
    public URI uri() {
        return URI.create(PATH + "/" + slug);
    }

    /**
     * The answer to a request refused with this problem, {@code application/problem+json} whatever the Accept header
     * says (a type that it excludes would otherwise leave the body empty); {@code field} may be null.
     */
    public ResponseEntity<ProblemDetail> answer(String detail, String field) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
        problem.setType(uri());
        problem.setTitle(title);
        if (field != null) {
            problem.setProperty("field", field);
        }
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (this == UNAVAILABLE) {
            headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return new ResponseEntity<>(problem, headers, status);
    }

    public static Optional<ProblemType> ofSlug(String slug) {
        return Arrays.stream(values()).filter(t -> t.slug.equals(slug)).findFirst();
    }

    /**
     * The type of a problem known only by its status: Spring MVC's own refusals, Tomcat's, errors forwarded to
     * {@code /error}. Empty for a status no service answers on purpose: such a problem keeps {@code about:blank}.
     */
    public static Optional<ProblemType> ofStatus(int status) {
        return Optional.ofNullable(switch (status) {
            case 400 -> BAD_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 413 -> BODY_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 500 -> INTERNAL_ERROR;
            case 503 -> UNAVAILABLE;
            default -> null;
        });
    }
}
