package dev.gradlab.web;

import dev.gradlab.access.AccessProperties;
import dev.gradlab.access.ApiKeys;
import dev.gradlab.quota.RequestRateLimiter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.writers.CacheControlHeadersWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.util.matcher.RequestMatcher;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spring Security's filter chain: who may call what, and the security headers of every answer.
 * <ul>
 *   <li>{@code /api/**} needs a caller: in keys mode a Bearer key ({@link BearerKeyFilter}); in local mode a request
 *       without a key is the local admin. {@code /api/v1/admin/**} needs an admin.</li>
 *   <li>A non-admin key's API requests are rate-limited ({@link RateLimitFilter}, after authorisation).</li>
 *   <li>{@code /actuator/health/**} stays open for liveness and readiness probes; every other actuator endpoint
 *       needs an admin.</li>
 *   <li>The dashboard's files, Swagger UI and the OpenAPI document are open: they hold no one's data (the pages
 *       fetch it from the API with the key the user types).</li>
 * </ul>
 * No session, no cookie, no CSRF token: a key travels only in the Authorization header, which a browser never
 * adds to a request by itself, so another site cannot make a user's browser send it (local mode, which needs no
 * key, has {@link BearerKeyFilter}'s own checks against that).
 * <p>
 * Headers on every answer: X-Content-Type-Options nosniff, X-Frame-Options DENY, Referrer-Policy no-referrer,
 * and on the API's answers Cache-Control no-store (an owner's data must not stay in a cache); on the dashboard's
 * pages and files the Content-Security-Policy {@link #DASHBOARD_POLICY}. Swagger UI needs inline scripts and styles, so it keeps
 * working without the CSP.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String DASHBOARD_POLICY =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    /** The dashboard: its pages (add a new page here) and its modules and stylesheet. */
    static final RequestMatcher DASHBOARD = request -> {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/")
                || path.equals("/index.html")
                || path.equals("/job.html")
                || path.equals("/compare.html")
                || path.equals("/study.html")
                || path.startsWith("/dashboard/");
    };

    /** Answers that may hold an owner's data (the actuator's index too, though it is off: 404). */
    static final RequestMatcher PRIVATE_ANSWERS = request -> {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/api/") || path.equals("/actuator") || path.startsWith("/actuator/");
    };

    /**
     * The headers the filter chain writes, for the refusals given outside it: the firewall's (which runs before the
     * chain's header writer), the container's own ({@link ProblemErrorReportValve}) and the error page's for a request
     * the container sent there without passing the chain ({@link ProblemErrorController}).
     */
    static void writeRefusalHeaders(HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
    }

    /**
     * Spring Security's firewall refuses URLs that are not normalised (an encoded or plain "../", "//", a ";"): a
     * problem+json 400, as Tomcat's own refusals get ({@link ProblemErrorReportValve}), not the error page's JSON.
     */
    @Bean
    RequestRejectedHandler unsafeUrls(JsonMapper json) {
        ProblemResponses problems = new ProblemResponses(json);
        return (request, response, e) -> {
            writeRefusalHeaders(response);
            problems.write(
                    request,
                    response,
                    HttpStatus.BAD_REQUEST,
                    ProblemHandler.codeFor(HttpStatus.BAD_REQUEST.value()),
                    "the server could not accept this request (malformed or unsafe URL)");
        };
    }

    @Bean
    SecurityFilterChain gradLabSecurity(
            HttpSecurity http, ApiKeys keys, AccessProperties access, RequestRateLimiter limiter, JsonMapper json)
            throws Exception {
        ProblemResponses problems = new ProblemResponses(json);
        http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .addFilterBefore(new BearerKeyFilter(keys, access, problems), AnonymousAuthenticationFilter.class)
                .addFilterAfter(new RateLimitFilter(limiter, problems), AuthorizationFilter.class)
                .authorizeHttpRequests(a -> a
                        // An error page or an async (event stream) dispatch belongs to a request already let in.
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC)
                        .permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**")
                        .permitAll()
                        .requestMatchers("/actuator/**", "/api/v1/admin/**")
                        .hasRole(BearerKeyFilter.ADMIN_ROLE)
                        .requestMatchers("/api/**")
                        .authenticated()
                        .anyRequest()
                        .permitAll())
                .exceptionHandling(e ->
                        e.authenticationEntryPoint(problems::unauthorized).accessDeniedHandler(problems::forbidden))
                .headers(h -> h.frameOptions(f -> f.deny())
                        // no-store on the API and actuator only: the dashboard's files may be cached (revalidated
                        // by Last-Modified), an owner's data may not.
                        .cacheControl(HeadersConfigurer.CacheControlConfig::disable)
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                                PRIVATE_ANSWERS, new CacheControlHeadersWriter()))
                        .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                                DASHBOARD, new StaticHeadersWriter("Content-Security-Policy", DASHBOARD_POLICY))));
        return http.build();
    }
}
