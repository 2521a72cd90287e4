package dev.gradlab.web;

import dev.gradlab.access.Caller;
import dev.gradlab.quota.Quota;
import dev.gradlab.quota.RequestRateLimiter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The per-key request rate limit on the API ({@link RequestRateLimiter}), after authentication and authorisation
 * (refused requests are not counted). Every limited answer carries the RateLimit-Policy and RateLimit fields of
 * draft-ietf-httpapi-ratelimit-headers-10 (policy {@value #POLICY}: q requests at once, refilled in w seconds; r
 * left now, full again in t seconds), so a client can pace itself; past the limit the answer is 429 problem+json
 * with Retry-After. Admins are not limited.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    static final String POLICY = "per-key";

    private final RequestRateLimiter limiter;
    private final ProblemResponses problems;

    RateLimitFilter(RequestRateLimiter limiter, ProblemResponses problems) {
        this.limiter = limiter;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI()
                .substring(request.getContextPath().length())
                .startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof Caller caller)) {
            chain.doFilter(request, response);
            return;
        }
        RequestRateLimiter.Decision decision = limiter.tryAcquire(caller);
        if (decision == null) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader(
                "RateLimit-Policy", "\"" + POLICY + "\";q=" + decision.limit() + ";w=" + seconds(decision.window()));
        response.setHeader(
                "RateLimit", "\"" + POLICY + "\";r=" + decision.remaining() + ";t=" + seconds(decision.untilFull()));
        if (decision.allowed()) {
            chain.doFilter(request, response);
            return;
        }
        long retryAfter = Math.max(1, seconds(decision.retryAfter()));
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("retryAfterSeconds", retryAfter);
        more.put("quota", Quota.REQUEST_RATE.configName());
        more.put("limit", decision.limit());
        problems.write(
                request,
                response,
                HttpStatus.TOO_MANY_REQUESTS,
                "rate-limited",
                "This key sent more requests than its rate allows (" + decision.limit() + " at once, then "
                        + "gradlab.quotas.requests-per-second a second). Nothing was done: retry after "
                        + retryAfter + " s.",
                more);
    }

    /** Whole seconds, rounded up. */
    private static long seconds(Duration d) {
        return (d.toMillis() + 999) / 1000;
    }
}
