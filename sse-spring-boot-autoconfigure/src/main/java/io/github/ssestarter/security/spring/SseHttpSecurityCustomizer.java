package io.github.ssestarter.security.spring;

import java.util.Set;

import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Fits the SSE endpoints into the application's own {@code SecurityFilterChain} without
 * replacing it. Spring Security applies every {@code Customizer<HttpSecurity>} bean to each
 * {@code HttpSecurity} before the application configures it, so this only adds:
 * <ul>
 * <li>a {@code 400} problem detail for SSE requests whose query string cannot be decoded,
 * before any filter of the chain trips over it;</li>
 * <li>a {@code 401} problem-detail entry point for the SSE endpoints and for any request
 * that asks for {@code text/event-stream}, such as a stream of the application's own
 * controller (instead of a redirect to a login page, which an EventSource cannot
 * follow);</li>
 * <li>optionally, an exemption of the publish endpoint from CSRF tokens (it accepts only
 * JSON and requires the publish authority);</li>
 * <li>CORS, when {@code sse.web.cors.allowed-origins} is set, so preflights for the SSE
 * endpoints are answered before authentication.</li>
 * </ul>
 * Who may access the endpoints stays the application's decision; the controllers check
 * topics and the publish authority themselves.
 *
 * @since 0.1.0
 */
public class SseHttpSecurityCustomizer implements Customizer<HttpSecurity> {

	private final SseRequestMatchers matchers;

	private final AuthenticationEntryPoint entryPoint;

	private final SseQueryStringFilter queryStringFilter;

	private final boolean csrfExemptPublish;

	private final boolean cors;

	/**
	 * Create the customizer.
	 * @param matchers the SSE endpoints
	 * @param entryPoint answers unauthenticated requests to them
	 * @param queryStringFilter rejects undecodable query strings early
	 * @param csrfExemptPublish whether the publish endpoint is exempt from CSRF tokens
	 * @param cors whether to enable CORS handling in the chain
	 */
	public SseHttpSecurityCustomizer(SseRequestMatchers matchers, AuthenticationEntryPoint entryPoint,
			SseQueryStringFilter queryStringFilter, boolean csrfExemptPublish, boolean cors) {
		this.matchers = matchers;
		this.entryPoint = entryPoint;
		this.queryStringFilter = queryStringFilter;
		this.csrfExemptPublish = csrfExemptPublish;
		this.cors = cors;
	}

	/**
	 * Requests for an event stream anywhere, such as a stream an application's controller
	 * returns: an {@code EventSource} cannot follow a login redirect either.
	 */
	private static RequestMatcher eventStreamRequests() {
		MediaTypeRequestMatcher matcher = new MediaTypeRequestMatcher(MediaType.TEXT_EVENT_STREAM);
		matcher.setIgnoredMediaTypes(Set.of(MediaType.ALL));
		return matcher;
	}

	@Override
	public void customize(HttpSecurity http) {
		http.addFilterBefore(this.queryStringFilter, CsrfFilter.class);
		http.exceptionHandling((exceptions) -> exceptions.defaultAuthenticationEntryPointFor(this.entryPoint,
				new OrRequestMatcher(this.matchers.any(), eventStreamRequests())));
		if (this.csrfExemptPublish) {
			http.csrf((csrf) -> csrf.ignoringRequestMatchers(this.matchers.publish()));
		}
		if (this.cors) {
			http.cors(Customizer.withDefaults());
		}
	}

}
