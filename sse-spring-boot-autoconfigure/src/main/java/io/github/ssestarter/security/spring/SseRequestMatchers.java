package io.github.ssestarter.security.spring;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Request matchers for the SSE endpoints, for use in the application's own
 * {@code SecurityFilterChain}; inject the bean:
 *
 * <pre>{@code
 * @Bean
 * SecurityFilterChain security(HttpSecurity http, SseRequestMatchers sse) {
 *     http.authorizeHttpRequests((requests) -> requests
 *             .requestMatchers(sse.stream()).authenticated()
 *             .anyRequest().authenticated());
 *     return http.build();
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public class SseRequestMatchers {

	private final RequestMatcher stream;

	private final RequestMatcher publish;

	private final RequestMatcher any;

	/**
	 * Create the matchers.
	 * @param builder builds path matchers relative to the dispatcher servlet
	 * @param path the stream path ({@code sse.web.path})
	 */
	public SseRequestMatchers(PathPatternRequestMatcher.Builder builder, String path) {
		this.stream = builder.matcher(HttpMethod.GET, path);
		this.publish = builder.matcher(HttpMethod.POST, path + "/events");
		this.any = new OrRequestMatcher(builder.matcher(path), builder.matcher(path + "/events"));
	}

	/**
	 * {@code GET sse.web.path}: opening a stream.
	 * @return the matcher
	 */
	public RequestMatcher stream() {
		return this.stream;
	}

	/**
	 * {@code POST sse.web.path/events}: publishing over HTTP.
	 * @return the matcher
	 */
	public RequestMatcher publish() {
		return this.publish;
	}

	/**
	 * Every request to the SSE endpoints, any method.
	 * @return the matcher
	 */
	public RequestMatcher any() {
		return this.any;
	}

}
