package io.github.ssestarter.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Properties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.sun.management.OperatingSystemMXBean;
import org.HdrHistogram.Histogram;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.benchmarks.load.LoadClient;
import io.github.ssestarter.benchmarks.servers.Servers;
import io.github.ssestarter.redis.RedisStreamKeys;

/**
 * Cross-node delivery through the Redis backplane, against one node with the local
 * backplane, in the same run (alternate rounds) with the same clients, topic and 100-byte payload: the
 * publisher's threads publish as fast as they can, every client must receive every event (queues
 * are sized so nothing is dropped), and the rate is deliveries per second from the first
 * publish to the last delivery. Nodes and clients share the machine, so the figures are
 * ratios, not capacities.
 */
final class RedisCrossNodeBenchmark {

	private static final String PADDING = "x".repeat(60);

	/** Measured rounds per variant; the median is reported. */
	private static final int ROUNDS = 5;

	/**
	 * Rounds of each variant before those measured, at least, and more while the JIT is
	 * still busy (up to {@link #MAX_WARM_UP_ROUNDS}), so that both paths run compiled.
	 */
	private static final int WARM_UP_ROUNDS = 3;

	private static final int MAX_WARM_UP_ROUNDS = 30;

	private static long lastCompiledMillis;

	private static long lastCheckNanos = System.nanoTime();

	private static final OperatingSystemMXBean PROCESS = (OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	/** Only the Redis variant's rounds ({@code -Dprofile.redis=true}), to profile its path alone: no report. */
	private static final boolean PROFILE_REDIS = Boolean.getBoolean("profile.redis");

	private static final String LOCAL = "local backplane, one node";

	private static final String REDIS = "redis backplane, publish on A, clients on B";

	/** Threads publishing at once (a node's request threads publishing concurrently; {@code -Dpublishers=N}). */
	private static final int PUBLISHERS = Integer.getInteger("publishers", 8);

	/** Subscribed clients ({@code -Dclients=N}; fewer leave the machine's CPU to the publish path). */
	private static final int CLIENTS = Integer.getInteger("clients", 200);

	private RedisCrossNodeBenchmark() {
	}

	static void run(boolean smoke) throws Exception {
		int clients = smoke ? 10 : CLIENTS;
		int events = smoke ? 200 : 5_000;
		String prefix = "bench-" + UUID.randomUUID();
		int rounds = smoke ? 1 : ROUNDS;
		int warmUps = smoke ? 1 : WARM_UP_ROUNDS;
		List<Result> local = new ArrayList<>();
		List<Result> redis = new ArrayList<>();
		ConfigurableApplicationContext localNode = node("local", prefix);
		ConfigurableApplicationContext nodeA = node("redis", prefix);
		ConfigurableApplicationContext nodeB = node("redis", prefix);
		String topic = "bench-" + UUID.randomUUID();
		try (LoadClient localClients = connect(localNode, topic, clients);
				LoadClient redisClients = connect(nodeB, topic, clients)) {
			// Alternating rounds: both variants see the same JIT state and the same noise.
			int warmedUp = 0;
			for (int i = 0; i < warmUps || (!smoke && i < MAX_WARM_UP_ROUNDS && compiling()); i++) {
				round(localNode, nodeA, topic, localClients, redisClients, clients, events);
				warmedUp++;
			}
			System.err.println("redis-cross-node: " + warmedUp + " warm-up rounds of each variant");
			for (int i = 0; i < rounds; i++) {
				Result[] pair = round(localNode, nodeA, topic, localClients, redisClients, clients, events);
				local.add(pair[0]);
				redis.add(pair[1]);
			}
		}
		finally {
			try (RedisConnection connection = nodeA.getBean(RedisConnectionFactory.class).getConnection()) {
				connection.keyCommands().del(RedisStreamKeys.of(prefix).stream(), RedisStreamKeys.of(prefix).generation());
			}
			localNode.close();
			nodeA.close();
			nodeB.close();
		}
		if (PROFILE_REDIS) {
			System.out.println(redis);
			return;
		}
		List<Result> results = List.of(median(local), median(redis));
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

	private static Result[] round(ConfigurableApplicationContext localNode, ConfigurableApplicationContext nodeA,
			String topic, LoadClient localClients, LoadClient redisClients, int clients, int events) throws Exception {
		Result one = PROFILE_REDIS ? null : measure(LOCAL, localNode, nodeA, topic, localClients, clients, events);
		Result other = measure(REDIS, nodeA, nodeA, topic, redisClients, clients, events);
		return new Result[] { one, other };
	}

	/**
	 * Whether the JIT compiled for more than a tenth of the time since the last call (both
	 * paths are still being compiled: on two cores the compiler takes a core from the
	 * measurement, so the rounds wait until it is done).
	 */
	private static boolean compiling() {
		long now = System.nanoTime();
		long compiled = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
		boolean busy = (compiled - lastCompiledMillis) * 1_000_000L > (now - lastCheckNanos) / 10;
		lastCompiledMillis = compiled;
		lastCheckNanos = now;
		return busy;
	}

	/** Clients on one topic of the node, connected before the rounds and kept for all of them. */
	private static LoadClient connect(ConfigurableApplicationContext node, String topic, int clients)
			throws Exception {
		LoadClient streams = new LoadClient(2);
		streams.connect(Servers.port(node), "/api/v1/sse?topics=" + topic, clients, false);
		awaitConnections(node.getBean(SseService.class), clients);
		return streams;
	}

	/**
	 * One round: the publisher's threads publish every event, the clients receive them.
	 * @param redisNode a node with the Redis backplane, to ask Redis for its CPU time
	 */
	private static Result measure(String variant, ConfigurableApplicationContext publisher,
			ConfigurableApplicationContext redisNode, String topic,
			LoadClient streams, int clients, int events) throws Exception {
		SseService sse = publisher.getBean(SseService.class);
		streams.resetCount();
		streams.drainHistogram(); // only this round's latencies
		double redisCpuBefore = redisCpuSeconds(redisNode);
		long cpuBefore = PROCESS.getProcessCpuTime();
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
		long expected = (long) clients * events;
		long last = streams.awaitQuiet(expected, 10_000, 300_000);
		if (streams.received() < expected) {
			System.err.println(variant + ": " + streams.received() + " of " + expected + " deliveries arrived");
		}
		double redisCpuSeconds = redisCpuSeconds(redisNode) - redisCpuBefore;
		double cpuSeconds = (PROCESS.getProcessCpuTime() - cpuBefore) / 1e9 + redisCpuSeconds;
		Histogram latencies = streams.drainHistogram();
		return new Result(variant, streams.received(), streams.received() / ((last - start) / 1e9),
				events / ((published - start) / 1e9), millis(latencies, 50), millis(latencies, 99),
				millis(latencies, 99.9), cpuSeconds * 1e6 / Math.max(1, streams.received()),
				redisCpuSeconds * 1e6 / events);
	}

	private static void awaitConnections(SseService sse, int expected) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (sse.stats().connections() < expected) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Only " + sse.stats().connections() + " of " + expected
						+ " streams opened within 30 s");
			}
			Thread.sleep(5);
		}
	}

	/** CPU seconds the Redis server has used ({@code INFO cpu}). */
	private static double redisCpuSeconds(ConfigurableApplicationContext redisNode) {
		try (RedisConnection connection = redisNode.getBean(RedisConnectionFactory.class).getConnection()) {
			Properties cpu = connection.serverCommands().info("cpu");
			return Double.parseDouble(cpu.getProperty("used_cpu_user", "0"))
					+ Double.parseDouble(cpu.getProperty("used_cpu_sys", "0"));
		}
	}

	private static double millis(Histogram latencies, double percentile) {
		return (latencies.getTotalCount() == 0) ? Double.NaN : latencies.getValueAtPercentile(percentile) / 1e6;
	}

	/**
	 * The round with the median deliveries/s of several (this machine is shared and noisy:
	 * single rounds of the same build differ by up to 2×), with the fewest events any round
	 * received.
	 */
	private static Result median(List<Result> rounds) {
		List<Result> all = new ArrayList<>(rounds);
		all.sort(java.util.Comparator.comparingDouble(Result::deliveriesPerSecond));
		Result median = all.get(all.size() / 2);
		long received = all.stream().mapToLong(Result::received).min().orElse(0);
		return new Result(median.variant(), received, median.deliveriesPerSecond(), median.publishesPerSecond(),
				median.p50(), median.p99(), median.p999(), median.cpuMicrosPerDelivery(),
				median.redisCpuMicrosPerEvent());
	}

	/**
	 * One round's figures.
	 * @param redisCpuMicrosPerEvent the Redis server's CPU per published event (its share of
	 * {@code cpuMicrosPerDelivery}, which is per delivery)
	 */
	private record Result(String variant, long received, double deliveriesPerSecond, double publishesPerSecond,
			double p50, double p99, double p999, double cpuMicrosPerDelivery, double redisCpuMicrosPerEvent) {
	}

	private static String report(List<Result> results, int clients, int events) {
		double baseline = results.get(0).deliveriesPerSecond();
		StringBuilder out = new StringBuilder();
		out.append("# Redis backplane: cross-node delivery\n\n");
		out.append(machine()).append('\n');
		out.append(String.format(Locale.ROOT, "%d clients, %d events of 100 bytes each, published as fast as possible "
				+ "by %d threads; ", clients, events, PUBLISHERS));
		out.append("every client receives every event. The variants run in alternate rounds, at least " + WARM_UP_ROUNDS
				+ " of each to warm up (more while the JIT compiler is busy), then " + ROUNDS + " of each measured; the round with the median deliveries/s is "
				+ "reported. Ratio: deliveries/s against the local backplane in the same run. CPU: of this JVM (nodes, "
				+ "publishers and clients) and of the Redis server, per delivery; and the Redis server's alone, per "
				+ "published event.\n\n");
		out.append("| variant | deliveries/s | publishes/s | p50 ms | p99 ms | p99.9 ms | CPU µs per delivery "
				+ "| Redis CPU µs per event | ratio to local |\n");
		out.append("|---|---|---|---|---|---|---|---|---|\n");
		for (Result result : results) {
			out.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %.1f | %.1f | %.1f | %.2f | %.1f | %.2f |\n",
					result.variant(), result.deliveriesPerSecond(), result.publishesPerSecond(), result.p50(),
					result.p99(), result.p999(), result.cpuMicrosPerDelivery(), result.redisCpuMicrosPerEvent(),
					result.deliveriesPerSecond() / baseline));
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
							+ "\"p50Millis\": %.2f, \"p99Millis\": %.2f, \"p999Millis\": %.2f, \"cpuMicrosPerDelivery\": %.3f, "
							+ "\"redisCpuMicrosPerEvent\": %.2f, \"ratioToLocal\": %.3f}%s\n",
					result.variant(), result.deliveriesPerSecond(), result.publishesPerSecond(), result.p50(),
					result.p99(), result.p999(), result.cpuMicrosPerDelivery(), result.redisCpuMicrosPerEvent(),
					result.deliveriesPerSecond() / baseline,
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
