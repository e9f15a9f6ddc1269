package io.github.ssestarter.benchmarks.servers;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.engine.SseEngine;

/** This starter with its defaults, on Tomcat or Jetty; events go to one topic. */
final class StarterVariant implements Variant {

	private final String server;

	private SseService sse;

	private SseEngine engine;

	StarterVariant(String server) {
		this.server = server;
	}

	@Override
	public int start() {
		ConfigurableApplicationContext context = Servers.start(App.class, this.server,
				"sse.limits.max-connections=100000");
		this.sse = context.getBean(SseService.class);
		this.engine = context.getBean(SseEngine.class);
		return Servers.port(context);
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
