package io.github.ssestarter.testapp.secured;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * An application secured by Spring Boot's default chain (everything authenticated, form
 * login and HTTP Basic): the starter must fit into it without any code.
 */
@SpringBootApplication
public class SecuredTestApplication {

	@Bean
	InMemoryUserDetailsManager users() {
		return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}alice").roles("USER").build(),
				User.withUsername("bob").password("{noop}bob").roles("USER").build(),
				User.withUsername("carol").password("{noop}carol").roles("USER").build(),
				User.withUsername("publisher").password("{noop}publisher").authorities("SSE_PUBLISH").build());
	}

}
