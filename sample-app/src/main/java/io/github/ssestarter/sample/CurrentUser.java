package io.github.ssestarter.sample;

import java.util.Map;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Who is logged in, for the pages. Also makes sure the XSRF-TOKEN cookie is set, which the
 * pages send back as X-XSRF-TOKEN when they post (CSRF tokens are loaded lazily).
 */
@RestController
class CurrentUser {

	@GetMapping("/api/me")
	Map<String, Object> me(Authentication authentication, CsrfToken csrf) {
		csrf.getToken(); // loads the token, so the cookie is written
		boolean admin = authentication.getAuthorities().stream().anyMatch((a) -> "ROLE_ADMIN".equals(a.getAuthority()));
		return Map.of("name", authentication.getName(), "admin", admin);
	}

}
