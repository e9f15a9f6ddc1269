package io.github.ssestarter.sample;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The sample's own security, as an application would have it: form login (Spring
 * Security's standard {@code /login} page) and HTTP Basic, everything behind a login, and
 * Actuator for admins only. Nothing here is about SSE: the starter fits into this chain by
 * itself (401 problem details for the stream instead of a login redirect, its own topic
 * and publish checks). The admin page is for admins; the webhook checks its own secret.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DemoUsersProperties.class)
class SampleSecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) {
		http.authorizeHttpRequests((requests) -> requests
			.requestMatchers(EndpointRequest.to("health")).permitAll()
			.requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole("ADMIN")
			.requestMatchers("/admin.html").hasRole("ADMIN")
			.requestMatchers("/api/webhooks/**").permitAll() // authenticated by its shared secret
			.requestMatchers("/favicon.svg", "/favicon.ico", "/css/**").permitAll() // the login page may ask for them
			.anyRequest().authenticated())
			.formLogin(Customizer.withDefaults())
			.httpBasic(Customizer.withDefaults())
			// The pages send the CSRF token from the XSRF-TOKEN cookie; the webhook has no browser session.
			.csrf((csrf) -> csrf.spa().ignoringRequestMatchers("/api/webhooks/**"));
		return http.build();
	}

	@Bean
	InMemoryUserDetailsManager demoUsers(DemoUsersProperties properties) {
		List<UserDetails> users = new ArrayList<>();
		properties.getUsers()
			.forEach((name, user) -> users.add(User.withUsername(name)
				.password("{noop}" + user.getPassword())
				.authorities(user.getAuthorities().toArray(new String[0]))
				.build()));
		return new InMemoryUserDetailsManager(users);
	}

}
