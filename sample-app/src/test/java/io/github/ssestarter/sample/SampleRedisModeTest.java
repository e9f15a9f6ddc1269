package io.github.ssestarter.sample;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.ssestarter.backplane.SseBackplane;

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
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
		}
		catch (IOException ex) {
			String message = "Redis is not running on 127.0.0.1:6379; start it with: redis-server --daemonize yes";
			if (System.getenv("SSE_REQUIRE_REDIS") != null) {
				throw new AssertionError(message);
			}
			Assumptions.abort(message);
		}
	}

	@Test
	void runsOnRedisWithOneProperty() throws Exception {
		SampleHttp http = new SampleHttp(this.port);
		assertThat(this.backplane.getClass().getSimpleName()).isEqualTo("RedisStreamSseBackplane");
		Map<String, String> json = new HashMap<>(SampleHttp.basic("admin"));
		json.put("Accept", "application/json");
		assertThat(http.get("/actuator/health", json).body()).contains("\"status\":\"UP\"")
			.contains("RedisStreamSseBackplane");
		try (SampleHttp.Stream stream = http.open("/api/v1/sse?topics=notifications", SampleHttp.basic("bob"))) {
			stream.dataAfter("event: sse.connected");
			http.publish(SampleHttp.basic("admin"), "{\"topics\":[\"notifications\"],\"event\":\"via-redis\",\"data\":\"x\"}");
			assertThat(stream.dataAfter("event: via-redis")).isEqualTo("data: x");
		}
	}

}
