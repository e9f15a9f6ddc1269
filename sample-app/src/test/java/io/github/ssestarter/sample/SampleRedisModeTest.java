package io.github.ssestarter.sample;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.backplane.SseBackplane;
import io.github.ssestarter.support.LocalRedis;
import io.github.ssestarter.test.SseTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample on the Redis backplane, switched on with one property. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "sample.clock.enabled=false",
		"sse.backplane.type=redis", "sse.backplane.redis.key-prefix=sample-test" })
class SampleRedisModeTest {

	@LocalServerPort
	int port;

	@Autowired
	SseBackplane backplane;

	@BeforeAll
	static void redisRunning() {
		LocalRedis.assumeRunning();
	}

	@Test
	void runsOnRedisWithOneProperty() throws Exception {
		SampleHttp http = new SampleHttp(this.port);
		assertThat(this.backplane.getClass().getSimpleName()).isEqualTo("RedisStreamSseBackplane");
		Map<String, String> json = new HashMap<>(SampleHttp.basic("admin"));
		json.put("Accept", "application/json");
		assertThat(http.get("/actuator/health", json).body()).contains("\"status\":\"UP\"")
			.contains("RedisStreamSseBackplane");
		try (SseTestClient stream = http.open("/api/v1/sse?topics=notifications", SampleHttp.basic("bob"))) {
			stream.awaitEvent("sse.connected");
			http.publish(SampleHttp.basic("admin"), "{\"topics\":[\"notifications\"],\"event\":\"via-redis\",\"data\":\"x\"}");
			assertThat(stream.awaitEvent("via-redis").data()).isEqualTo("x");
		}
	}

}
