package dev.gradlab.web;

import dev.gradlab.access.AccessProperties;
import dev.gradlab.access.ApiKeys;
import dev.gradlab.access.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who is calling: {@code Authorization: Bearer <key>} is checked on every request ({@link ApiKeys#authenticate},
 * no cache, so a revoked key is refused from the next request on); a bad key leaves the request unauthenticated,
 * and the API then answers 401 (code invalid-key). Without a key: nobody in keys mode (401 on the API), the local
 * admin in local mode.
 * <p>
 * Local mode listens on loopback only, but a web page the user opens can still aim the browser at it. Two checks,
 * as notebook servers do: the Host header must name loopback (a DNS-rebinding page sends its own host name; the
 * raw header, not X-Forwarded-Host), and a request that changes something must not come from another origin
 * (its Origin header, which browsers set on such requests). Requests with a key skip them: a browser never adds
 * a key to a request on its own.
 */
final class BearerKeyFilter extends OncePerRequestFilter {

    static final String ADMIN_ROLE = "ADMIN";

    private static final List<GrantedAuthority> USER = List.of(new SimpleGrantedAuthority("ROLE_USER"));
    private static final List<GrantedAuthority> ADMIN =
            List.of(new SimpleGrantedAuthority("ROLE_USER"), new SimpleGrantedAuthority("ROLE_" + ADMIN_ROLE));
    private static final Pattern BEARER = Pattern.compile("(?i)bearer +(\\S+) *");
    private static final Pattern LOOPBACK_HOST =
            Pattern.compile("(localhost|127(\\.\\d{1,3}){3}|\\[::1\\])(:\\d{1,5})?", Pattern.CASE_INSENSITIVE);

    private final ApiKeys keys;
    private final boolean local;
    private final ProblemResponses problems;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();
    /** The caller reaches the event stream's async dispatch and error pages through the request. */
    private final SecurityContextRepository repository = new RequestAttributeSecurityContextRepository();

    BearerKeyFilter(ApiKeys keys, AccessProperties access, ProblemResponses problems) {
        this.keys = keys;
        this.local = !access.keysRequired();
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            java.util.regex.Matcher bearer = BEARER.matcher(authorization);
            Caller caller =
                    bearer.matches() ? keys.authenticate(bearer.group(1)).orElse(null) : null;
            if (caller == null) {
                request.setAttribute(ProblemResponses.INVALID_KEY, Boolean.TRUE);
            } else {
                signIn(caller, request, response);
            }
        } else if (local) {
            String refusal = localRefusal(request);
            if (refusal != null) {
                problems.write(request, response, HttpStatus.FORBIDDEN, "forbidden", refusal);
                return;
            }
            signIn(Caller.LOCAL_ADMIN, request, response);
        }
        chain.doFilter(request, response);
    }

    private void signIn(Caller caller, HttpServletRequest request, HttpServletResponse response) {
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(
                UsernamePasswordAuthenticationToken.authenticated(caller, null, caller.admin() ? ADMIN : USER));
        contexts.setContext(context);
        repository.saveContext(context, request, response);
    }

    /** Why local mode refuses this keyless request, or null. */
    static String localRefusal(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (host != null && !LOOPBACK_HOST.matcher(host).matches()) {
            return "Local mode answers requests addressed to localhost, 127.0.0.1 or [::1] only (Host was "
                    + host.replaceAll("[^\\x20-\\x7e]", "?") + "). To serve other names, use keys mode.";
        }
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        boolean safe = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
        String origin = request.getHeader("Origin");
        if (!safe && origin != null && !sameOrigin(origin, host)) {
            return "Local mode refuses changes sent from another web site (Origin "
                    + origin.replaceAll("[^\\x20-\\x7e]", "?")
                    + "); use the dashboard served here, or a key.";
        }
        return null;
    }

    private static boolean sameOrigin(String origin, String host) {
        try {
            URI uri = URI.create(origin);
            String authority = uri.getRawAuthority();
            return host != null && authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false; // "null" (a sandboxed frame, a file) or garbage
        }
    }
}
