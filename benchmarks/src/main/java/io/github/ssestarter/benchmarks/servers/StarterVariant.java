package io.github.ssestarter.benchmarks.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.engine.SseEngine;

/**
 * This starter with its defaults, on Tomcat or Jetty; events go to one topic. With
 * metrics, Actuator and the Prometheus registry are present too (the production setup:
 * every delivery is timed), which the harness puts on this variant's classpath only.
 */
final class StarterVariant implements Variant {

	private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

	private final String server;

	private final boolean metrics;

	private SseService sse;

	private SseEngine engine;

	StarterVariant(String server) {
		this(server, false);
	}

	private StarterVariant(String server, boolean metrics) {
		this.server = server;
		this.metrics = metrics;
	}

	static StarterVariant withMetrics(String server) {
		return new StarterVariant(server, true);
	}

	@Override
	public int start() {
		ConfigurableApplicationContext context = Servers.start(App.class, this.server,
				"sse.limits.max-connections=100000", "management.endpoints.web.exposure.include=prometheus");
		this.sse = context.getBean(SseService.class);
		this.engine = context.getBean(SseEngine.class);
		int port = Servers.port(context);
		boolean registry = ClassUtils.isPresent(METER_REGISTRY, null)
				&& context.getBeanNamesForType(ClassUtils.resolveClassName(METER_REGISTRY, null)).length > 0;
		if (registry != this.metrics) {
			throw new IllegalStateException(this.metrics
					? "No MeterRegistry: the starter-metrics variant needs Actuator and the Prometheus registry on "
							+ "its classpath (benchmarks/target/lib-metrics, built by 'package')"
					: "A MeterRegistry is present: only the starter-metrics variant should have one");
		}
		if (this.metrics) {
			checkScrape(port);
		}
		return port;
	}

	/** The Prometheus scrape serves the starter's delivery timer, so the variant measures what it says. */
	private static void checkScrape(int port) {
		try {
			String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus"))
				.build(), HttpResponse.BodyHandlers.ofString()).body();
			if (!scrape.contains("sse_delivery_latency_seconds_count")) {
				throw new IllegalStateException("The Prometheus scrape has no sse_delivery_latency: " + scrape.substring(0,
						Math.min(500, scrape.length())));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public String path() {
		return "/api/v1/sse?topics=bench";
	}

	@Override
	public void publish(String data) {
		this.sse.publish("bench", SseEvent.ofData(data));
	}

	@Override
	public int connections() {
		return this.engine.registry().connectionCount();
	}

	@Override
	public long dropped() {
		return this.engine.counters().droppedTotal();
	}

	@Override
	public long catchUps() {
		return this.engine.counters().catchUps();
	}

	@Override
	public long resets() {
		return this.engine.counters().resetsTotal();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}
