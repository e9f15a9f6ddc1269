package io.github.ssestarter.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sample's demo users (DEMO ONLY: plain-text passwords in configuration). Override
 * them with properties, for example {@code sample.users.alice.password=s3cret} or the
 * environment variable {@code SAMPLE_USERS_ALICE_PASSWORD}; add users the same way.
 */
@ConfigurationProperties("sample")
public class DemoUsersProperties {

	/**
	 * Demo users by name.
	 */
	private final Map<String, DemoUser> users = new LinkedHashMap<>(Map.of(
			"alice", new DemoUser("alice", List.of("ROLE_USER")),
			"bob", new DemoUser("bob", List.of("ROLE_USER")),
			"admin", new DemoUser("admin", List.of("ROLE_USER", "ROLE_ADMIN", "SSE_PUBLISH"))));

	public Map<String, DemoUser> getUsers() {
		return this.users;
	}

	/**
	 * One demo user.
	 */
	public static class DemoUser {

		/**
		 * The password (plain text: demo only).
		 */
		private String password;

		/**
		 * Granted authorities: roles as ROLE_*, plus SSE_PUBLISH to publish over HTTP.
		 */
		private List<String> authorities;

		public DemoUser() {
			this("", List.of("ROLE_USER"));
		}

		DemoUser(String password, List<String> authorities) {
			this.password = password;
			this.authorities = authorities;
		}

		public String getPassword() {
			return this.password;
		}

		public void setPassword(String password) {
			this.password = password;
		}

		public List<String> getAuthorities() {
			return this.authorities;
		}

		public void setAuthorities(List<String> authorities) {
			this.authorities = authorities;
		}

	}

}
