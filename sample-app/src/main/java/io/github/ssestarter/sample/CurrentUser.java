package io.github.ssestarter.sample;

import java.util.Map;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.github.ssestarter.SseService;

/**
 * Who is logged in, for the pages, with the position in the event flow taken before the
 * data: the page opens its stream after that position, so nothing published between this
 * answer and the stream is missed. Also makes sure the XSRF-TOKEN cookie is set, which the
 * pages send back as X-XSRF-TOKEN when they post (CSRF tokens are loaded lazily).
 */
@RestController
class CurrentUser {

	private final SseService sse;

	CurrentUser(SseService sse) {
		this.sse = sse;
	}

	@GetMapping("/api/me")
	Map<String, Object> me(Authentication authentication, CsrfToken csrf) {
		String position = this.sse.position(); // before reading the data it goes with
		csrf.getToken(); // loads the token, so the cookie is written
		boolean admin = authentication.getAuthorities().stream().anyMatch((a) -> "ROLE_ADMIN".equals(a.getAuthority()));
		return Map.of("name", authentication.getName(), "admin", admin, "position", position);
	}

}
