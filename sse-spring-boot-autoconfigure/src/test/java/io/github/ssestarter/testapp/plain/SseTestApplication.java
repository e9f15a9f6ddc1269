package io.github.ssestarter.testapp.plain;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The smallest application using the starter: nothing but the auto-configuration, and no
 * Spring Security (its jars are on the test classpath for the security tests, so its
 * auto-configuration is excluded here).
 */
@SpringBootApplication(excludeName = {
		"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
		"org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration",
		"org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration" })
public class SseTestApplication {

}
