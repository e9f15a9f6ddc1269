package io.github.ssestarter.benchmarks.servers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Settings every Spring Boot variant shares, so they differ only in how they serve the
 * stream. Tomcat, Jetty and Netty are all on the benchmark classpath; each variant keeps
 * the auto-configuration of its own server only.
 */
public final class Servers {

	private static final Map<String, List<String>> AUTO_CONFIGURATIONS = Map.of("tomcat", List.of(
			"org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration",
			"org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatServletManagementContextAutoConfiguration",
			"org.springframework.boot.tomcat.autoconfigure.metrics.TomcatMetricsAutoConfiguration",
			"org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration",
			"org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration"),
			"jetty", List.of(
			"org.springframework.boot.jetty.autoconfigure.actuate.web.server.JettyReactiveManagementContextAutoConfiguration",
			"org.springframework.boot.jetty.autoconfigure.actuate.web.server.JettyServletManagementContextAutoConfiguration",
			"org.springframework.boot.jetty.autoconfigure.metrics.JettyMetricsAutoConfiguration",
			"org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration",
			"org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration"),
			"netty", List.of(
			"org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration",
			"org.springframework.boot.reactor.netty.autoconfigure.actuate.web.server.NettyReactiveManagementContextAutoConfiguration"));

	private Servers() {
	}

	/**
	 * Properties for a variant on this server.
	 * @param server {@code tomcat}, {@code jetty} or {@code netty}
	 */
	public static String[] on(String server) {
		List<String> excluded = new ArrayList<>();
		AUTO_CONFIGURATIONS.forEach((name, classes) -> {
			if (!name.equals(server)) {
				excluded.addAll(classes);
			}
		});
		List<String> properties = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off",
				"logging.level.root=WARN",
				"spring.main.web-application-type=" + (server.equals("netty") ? "reactive" : "servlet"),
				"spring.autoconfigure.exclude=" + String.join(",", excluded),
				// Tomcat's default of 8192 connections would cap the idle scenario, for every Tomcat variant alike.
				"server.tomcat.max-connections=30000", "server.tomcat.accept-count=1000",
				"spring.data.redis.repositories.enabled=false", "management.health.redis.enabled=false"));
		return properties.toArray(new String[0]);
	}

	/**
	 * Start a Spring Boot application on this server, with {@link #on} and these properties.
	 * @param application the application's configuration class
	 * @param server {@code tomcat}, {@code jetty} or {@code netty}
	 * @param properties what the variant adds
	 */
	public static ConfigurableApplicationContext start(Class<?> application, String server, String... properties) {
		return new SpringApplicationBuilder(application).properties(on(server)).properties(properties).run();
	}

	/** The port an application from {@link #start} listens on. */
	public static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
