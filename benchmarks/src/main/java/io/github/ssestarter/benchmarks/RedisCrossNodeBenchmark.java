package io.github.ssestarter.benchmarks;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.benchmarks.servers.Servers;
import io.github.ssestarter.redis.RedisStreamKeys;

/**
 * Cross-node delivery through the Redis backplane, against one node with the local
 * backplane, in the same run with the same clients, topic and 100-byte payload: the
 * publisher's threads publish as fast as they can, every client must receive every event (queues
 * are sized so nothing is dropped), and the rate is deliveries per second from the first
 * publish to the last delivery. Nodes and clients share the machine, so the figures are
 * ratios, not capacities.
 */
final class RedisCrossNodeBenchmark {

	private static final String PADDING = "x".repeat(60);

	/** Measured rounds per variant; the median is reported. */
	private static final int ROUNDS = 5;

	/** Threads publishing at once (a node's request threads publishing concurrently; {@code -Dpublishers=N}). */
	private static final int PUBLISHERS = Integer.getInteger("publishers", 8);

	/** Subscribed clients ({@code -Dclients=N}; fewer leave the machine's CPU to the publish path). */
	private static final int CLIENTS = Integer.getInteger("clients", 200);

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private RedisCrossNodeBenchmark() {
	}

	static void run(boolean smoke) throws Exception {
		int clients = smoke ? 10 : CLIENTS;
		int events = smoke ? 200 : 5_000;
		String prefix = "bench-" + UUID.randomUUID();
		List<Result> results = new ArrayList<>();
		int rounds = smoke ? 1 : ROUNDS;
		try (ConfigurableApplicationContext local = node("local", prefix)) {
			measure("local backplane, one node", local, local, clients, events); // warm-up
			results.add(median(rounds, () -> measure("local backplane, one node", local, local, clients, events)));
		}
		ConfigurableApplicationContext nodeA = node("redis", prefix);
		ConfigurableApplicationContext nodeB = node("redis", prefix);
		try {
			measure("redis backplane, publish on A, clients on B", nodeA, nodeB, clients, events); // warm-up
			results.add(median(rounds,
					() -> measure("redis backplane, publish on A, clients on B", nodeA, nodeB, clients, events)));
		}
		finally {
			try (RedisConnection connection = nodeA.getBean(RedisConnectionFactory.class).getConnection()) {
				connection.keyCommands().del(RedisStreamKeys.of(prefix).stream(), RedisStreamKeys.of(prefix).generation());
			}
			nodeA.close();
			nodeB.close();
		}
		String report = report(results, clients, events);
		System.out.println(report);
		if (!smoke) {
			Path directory = Path.of(System.getProperty("results.dir", "benchmarks/results"));
			Files.createDirectories(directory);
			Files.writeString(directory.resolve("redis-cross-node.md"), report);
			Files.writeString(directory.resolve("redis-cross-node.json"), json(results, clients, events));
		}
		for (Result result : results) {
			if (result.received() != (long) clients * events) {
				throw new IllegalStateException(result.variant() + " lost events: " + result.received() + " of "
						+ (long) clients * events);
			}
		}
	}

	private static ConfigurableApplicationContext node(String backplane, String prefix) {
		return Servers.start(BenchmarkApplication.class, "tomcat", "sse.backplane.type=" + backplane,
				"sse.backplane.redis.key-prefix=" + prefix, "sse.buffer.max-events=100000", "sse.buffer.max-bytes=64MB",
				"sse.limits.max-connections=100000", "sse.backplane.redis.history-length=100000",
				"sse.heartbeat.interval=30s");
	}

	private static Result measure(String variant, ConfigurableApplicationContext publisher,
			ConfigurableApplicationContext subscriber, int clients, int events) throws Exception {
		int port = Servers.port(subscriber);
		String topic = "bench-" + UUID.randomUUID();
		SseService sse = publisher.getBean(SseService.class);
		try (StreamClients streams = new StreamClients(clients, events)) {
			streams.connect(HTTP, "http://localhost:" + port + "/api/v1/sse?topics=" + topic, clients);
			long start = System.nanoTime();
			List<Thread> threads = new ArrayList<>();
			for (int t = 0; t < PUBLISHERS; t++) {
				int share = events / PUBLISHERS + ((t < events % PUBLISHERS) ? 1 : 0);
				Thread thread = new Thread(() -> {
					for (int i = 0; i < share; i++) {
						sse.publish(topic, SseEvent.ofData(System.nanoTime() + ":" + PADDING));
					}
				}, "publisher-" + t);
				thread.start();
				threads.add(thread);
			}
			for (Thread thread : threads) {
				thread.join();
			}
			long published = System.nanoTime();
			boolean complete = streams.await(300, TimeUnit.SECONDS);
			long elapsed = System.nanoTime() - start;
			if (!complete) {
				System.err.println(variant + ": not every event arrived within 300 s");
			}
			return new Result(variant, streams.received(), streams.received() / (elapsed / 1e9),
					events / ((published - start) / 1e9), streams.percentileMillis(50), streams.percentileMillis(99),
					streams.percentileMillis(99.9));
		}
	}

	/**
	 * The round with the median deliveries/s of several (this machine is shared and noisy:
	 * single rounds of the same build differ by up to 2×).
	 */
	private static Result median(int rounds, Round round) throws Exception {
		List<Result> all = new ArrayList<>();
		for (int i = 0; i < rounds; i++) {
			all.add(round.run());
		}
		all.sort(java.util.Comparator.comparingDouble(Result::deliveriesPerSecond));
		Result median = all.get(all.size() / 2);
		long received = all.stream().mapToLong(Result::received).min().orElse(0);
		return new Result(median.variant(), received, median.deliveriesPerSecond(), median.publishesPerSecond(),
				median.p50(), median.p99(), median.p999());
	}

	@FunctionalInterface
	private interface Round {

		Result run() throws Exception;

	}

	private record Result(String variant, long received, double deliveriesPerSecond, double publishesPerSecond,
			double p50, double p99, double p999) {
	}

	private static String report(List<Result> results, int clients, int events) {
		double baseline = results.get(0).deliveriesPerSecond();
		StringBuilder out = new StringBuilder();
		out.append("# Redis backplane: cross-node delivery\n\n");
		out.append(machine()).append('\n');
		out.append(String.format(Locale.ROOT, "%d clients, %d events of 100 bytes each, published as fast as possible "
				+ "by %d threads; ", clients, events, PUBLISHERS));
		out.append("every client receives every event. Median of " + ROUNDS + " rounds by deliveries/s. Ratio: deliveries/s against the local backplane in the same run.\n\n");
		out.append("| variant | deliveries/s | publishes/s | p50 ms | p99 ms | p99.9 ms | ratio to local |\n");
		out.append("|---|---|---|---|---|---|---|\n");
		for (Result result : results) {
			out.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %.1f | %.1f | %.1f | %.2f |\n",
					result.variant(), result.deliveriesPerSecond(), result.publishesPerSecond(), result.p50(),
					result.p99(), result.p999(), result.deliveriesPerSecond() / baseline));
		}
		return out.toString();
	}

	private static String json(List<Result> results, int clients, int events) {
		double baseline = results.get(0).deliveriesPerSecond();
		StringBuilder out = new StringBuilder("{\n  \"benchmark\": \"redis-cross-node\",\n");
		out.append("  \"date\": \"").append(Instant.now()).append("\",\n");
		out.append("  \"machine\": \"").append(machine().replace("\n", " ").replace("\"", "'").trim()).append("\",\n");
		out.append("  \"clients\": ").append(clients).append(",\n  \"events\": ").append(events).append(",\n");
		out.append("  \"results\": [\n");
		for (int i = 0; i < results.size(); i++) {
			Result result = results.get(i);
			out.append(String.format(Locale.ROOT,
					"    {\"variant\": \"%s\", \"deliveriesPerSecond\": %.0f, \"publishesPerSecond\": %.0f, "
							+ "\"p50Millis\": %.2f, \"p99Millis\": %.2f, \"p999Millis\": %.2f, \"ratioToLocal\": %.3f}%s\n",
					result.variant(), result.deliveriesPerSecond(), result.publishesPerSecond(), result.p50(),
					result.p99(), result.p999(), result.deliveriesPerSecond() / baseline,
					(i < results.size() - 1) ? "," : ""));
		}
		return out.append("  ]\n}\n").toString();
	}

	private static String machine() {
		return String.format(Locale.ROOT, "Machine: %d cores, %s %s, Java %s (%s), Redis %s on localhost; nodes, "
				+ "clients and Redis share the machine.\n", Runtime.getRuntime().availableProcessors(),
				System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"),
				System.getProperty("java.vm.name"), redisVersion());
	}

	private static String redisVersion() {
		try {
			Process process = new ProcessBuilder("redis-cli", "INFO", "server").start();
			String info = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			return info.lines().filter((l) -> l.startsWith("redis_version:")).map((l) -> l.substring(14).trim())
				.findFirst().orElse("unknown");
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

}
