package dev.gradlab.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The problem+json answers of the security filter chain, which runs before Spring MVC (so {@link ProblemHandler}
 * never sees them): 401 with {@code WWW-Authenticate: Bearer} (RFC 6750) and 403.
 */
final class ProblemResponses {

    /** Set by {@link BearerKeyFilter} when the request carried a key that is not (or no longer) valid. */
    static final String INVALID_KEY = ProblemResponses.class.getName() + ".invalidKey";

    static final String REALM = "gradlab";

    private final JsonMapper json;

    ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    /** No key (code unauthorized), or one that is unknown, malformed or revoked (code invalid-key). */
    void unauthorized(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (request.getAttribute(INVALID_KEY) != null) {
            response.setHeader(
                    "WWW-Authenticate",
                    "Bearer realm=\"" + REALM + "\", error=\"invalid_token\", "
                            + "error_description=\"unknown or revoked key\"");
            write(
                    request,
                    response,
                    HttpStatus.UNAUTHORIZED,
                    "invalid-key",
                    "The API key is not valid: unknown, malformed or revoked. Ask an admin for a new one.");
        } else {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"" + REALM + "\"");
            write(
                    request,
                    response,
                    HttpStatus.UNAUTHORIZED,
                    "unauthorized",
                    "This server requires an API key: send the header Authorization: Bearer <key>. An admin "
                            + "creates keys with POST /api/v1/admin/keys.");
        }
    }

    /** A valid key that may not do this: a non-admin on an admin endpoint. */
    void forbidden(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        write(
                request,
                response,
                HttpStatus.FORBIDDEN,
                "forbidden",
                "This needs an admin key; the key sent is not one.");
    }

    void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String code, String detail)
            throws IOException {
        write(request, response, status, code, detail, Map.of());
    }

    /** @param more further members of the problem, after the standard ones */
    void write(
            HttpServletRequest request,
            HttpServletResponse response,
            HttpStatus status,
            String code,
            String detail,
            Map<String, Object> more)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", ProblemHandler.ABOUT_BLANK.toString());
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", request.getRequestURI());
        body.put("code", code);
        body.putAll(more);
        response.setStatus(status.value());
        // The bytes are UTF-8 JSON; no charset parameter, as every other problem+json answer.
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(body));
    }
}
