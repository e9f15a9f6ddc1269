package io.github.ssestarter.web;

import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Cross-origin access to the SSE endpoints ({@code sse.web.cors.*}): streams may be opened
 * and resumed (the browser sends {@code Last-Event-ID} on reconnects, which needs a
 * preflight) and events published from the listed origins.
 *
 * @since 0.1.0
 */
public class SseCorsConfigurer implements WebMvcConfigurer {

	private final String path;

	private final List<String> allowedOrigins;

	private final boolean allowCredentials;

	private final Duration maxAge;

	/**
	 * Create the configurer.
	 * @param path the stream path ({@code sse.web.path})
	 * @param allowedOrigins the origins allowed; empty for none
	 * @param allowCredentials whether cookies may be sent
	 * @param maxAge how long a preflight answer may be cached
	 */
	public SseCorsConfigurer(String path, List<String> allowedOrigins, boolean allowCredentials, Duration maxAge) {
		this.path = path;
		this.allowedOrigins = List.copyOf(allowedOrigins);
		this.allowCredentials = allowCredentials;
		this.maxAge = maxAge;
	}

	@Override
	public void addCorsMappings(CorsRegistry registry) {
		if (this.allowedOrigins.isEmpty()) {
			return;
		}
		String[] origins = this.allowedOrigins.toArray(new String[0]);
		registry.addMapping(this.path)
			.allowedOrigins(origins)
			.allowedMethods("GET")
			.allowedHeaders("Last-Event-ID", HttpHeaders.CACHE_CONTROL, HttpHeaders.AUTHORIZATION)
			.allowCredentials(this.allowCredentials)
			.maxAge(this.maxAge.toSeconds());
		registry.addMapping(this.path + "/events")
			.allowedOrigins(origins)
			.allowedMethods("POST")
			.allowedHeaders(HttpHeaders.CONTENT_TYPE, HttpHeaders.AUTHORIZATION)
			.allowCredentials(this.allowCredentials)
			.maxAge(this.maxAge.toSeconds());
	}

}
