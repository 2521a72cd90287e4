package dev.gradlab.web;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat answers some requests itself, before Spring sees them (a path it will not normalise, such as one with an
 * encoded "../", a malformed request line or header, headers too large, an HTTP version or transfer encoding it
 * does not speak), and renders errors the error page could not. This valve makes those answers problem+json too,
 * instead of Tomcat's HTML page (which names the server and its version), with the security headers that Spring
 * Security's chain, which never ran, would have added.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || response.isCommitted()) {
            return;
        }
        try {
            SecurityConfiguration.writeRefusalHeaders(response);
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                org.springframework.http.HttpStatus known = org.springframework.http.HttpStatus.resolve(status);
                String title = known == null ? "Error" : known.getReasonPhrase();
                // Every piece is a constant of ours (no quotes or backslashes in them): no escaping needed.
                writer.write("{\"type\":\"about:blank\",\"status\":" + status + ",\"title\":\"" + title + "\","
                        + "\"detail\":\"" + ProblemHandler.containerDetail(status) + "\","
                        + "\"code\":\"" + ProblemHandler.codeFor(status) + "\"}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response is already on its way: nothing more to say.
        }
    }
}
