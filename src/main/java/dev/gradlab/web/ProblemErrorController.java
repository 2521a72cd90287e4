package dev.gradlab.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import tools.jackson.databind.json.JsonMapper;

/**
 * The container's error page ({@code /error}): what Spring's handlers never saw (an error in a filter, a status the
 * container set itself, such as 405 for TRACE) is answered here as a problem, like everything else. It replaces
 * Spring Boot's error controller, whose JSON carried a timestamp and path and, called directly, {@code "status":
 * 999}. Called directly, {@code /error} is no resource: 404.
 * <p>
 * The body is written by hand, whatever the request's Accept says (an unparsable Accept is one way to get here),
 * and says only what the status means: never an exception's message, class or stack.
 */
@Hidden
@Controller
class ProblemErrorController implements ErrorController {

    private final JsonMapper json;

    ProblemErrorController(JsonMapper json) {
        this.json = json;
    }

    @RequestMapping("${server.error.path:/error}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = status(request);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", ProblemHandler.ABOUT_BLANK.toString());
        problem.put("title", title(status));
        problem.put("status", status);
        problem.put("detail", ProblemHandler.containerDetail(status));
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        problem.put("instance", path instanceof String p ? p : request.getRequestURI());
        problem.put("code", ProblemHandler.codeFor(status));
        if (response.isCommitted()) {
            return; // part of an answer is on its way (an event stream): nothing more can be said
        }
        response.resetBuffer();
        if (!response.containsHeader("X-Content-Type-Options")) {
            // The container dispatched here without the request passing the filter chain (TRACE, for one).
            SecurityConfiguration.writeRefusalHeaders(response);
        }
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }

    /** The status the container chose, corrected where it blamed itself for the client's request. */
    private static int status(HttpServletRequest request) {
        if (!(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code)) {
            return HttpStatus.NOT_FOUND.value(); // /error requested by a client: there is nothing here
        }
        for (Object t = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
                t instanceof Throwable cause;
                t = cause.getCause()) {
            if (cause instanceof InvalidParameterException) {
                return HttpStatus.BAD_REQUEST.value(); // a query string that is not valid percent-encoded UTF-8
            }
        }
        return code;
    }

    private static String title(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "Error" : known.getReasonPhrase();
    }
}
