package io.github.ssestarter.sample;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;

import static org.assertj.core.api.Assertions.assertThat;

/** Every metric the shipped Grafana dashboard queries is exported by the running sample app. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.clock.enabled=false")
class GrafanaDashboardTest {

	private static final Path DASHBOARD = Path.of("../grafana/sse-dashboard.json");

	private static final Pattern METRIC = Pattern.compile("\\b(sse_[a-z_]+)\\b");

	@LocalServerPort
	int port;

	@Autowired
	SseService sse;

	@Test
	void everyQueriedMetricIsExported() throws Exception {
		Set<String> queried = queriedMetrics();
		assertThat(queried).contains("sse_connections_active", "sse_events_dropped_total",
				"sse_delivery_latency_seconds_bucket", "sse_resets_total", "sse_catchups_total",
				"sse_events_caught_up_total");
		HttpClient http = HttpClient.newHttpClient();
		// Some traffic first: a stream that receives an event.
		HttpResponse<InputStream> stream = http.sendAsync(HttpRequest.newBuilder(uri("/api/v1/sse?topics=notifications"))
			.header("Accept", "text/event-stream")
			.header("Authorization", SampleHttp.basic("admin").get("Authorization"))
			.build(), HttpResponse.BodyHandlers.ofInputStream()).get();
		try (BufferedReader body = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
			this.sse.publish("notifications", SseEvent.ofData("x"));
			String line;
			do {
				line = body.readLine();
			}
			while (line != null && !line.equals("data: x"));
			assertThat(line).as("the event arrived before the stream ended").isNotNull();
			String scrape = http.send(HttpRequest.newBuilder(uri("/actuator/prometheus"))
				.header("Authorization", SampleHttp.basic("admin").get("Authorization"))
				.build(), HttpResponse.BodyHandlers.ofString()).body();
			Set<String> exported = new TreeSet<>();
			scrape.lines()
				.filter((sample) -> !sample.startsWith("#"))
				.map((sample) -> sample.split("[{ ]", 2)[0])
				.forEach(exported::add);
			assertThat(exported).containsAll(queried);
		}
	}

	private Set<String> queriedMetrics() throws Exception {
		JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
		Set<String> metrics = new TreeSet<>();
		for (JsonNode panel : dashboard.get("panels")) {
			for (JsonNode target : panel.get("targets")) {
				Matcher matcher = METRIC.matcher(target.get("expr").asString());
				while (matcher.find()) {
					metrics.add(matcher.group(1));
				}
			}
		}
		Matcher variable = METRIC.matcher(dashboard.get("templating").toString());
		while (variable.find()) {
			metrics.add(variable.group(1));
		}
		return metrics;
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
