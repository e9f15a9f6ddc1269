package io.github.ssestarter.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.benchmarks.servers.Servers;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.support.DeliveryCheck;
import io.github.ssestarter.support.SlowSseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Byte-exact delivery under stress (7–12 s per variant): many streams over real sockets on
 * Tomcat and Jetty, fast, slow, stop-and-go and tiny-read clients, bursts of events of mixed
 * sizes (tiny, ~500 B, ~4 KB, ~9 KB, random up to 12 KB) so that write batches use, outgrow
 * and exceed the writer's scratch array. Each client's events must be exactly what was
 * published to its topics, in id order, once, and each event's data byte for byte what was
 * published under its id.
 * <p>
 * The build runs six of the variants; options: {@code -Dstress.all=true} (all ten),
 * {@code -Dstress.only=tomcat-false-4KB} (variants by name),
 * {@code -Dstress.repeat=N}, {@code -Dstress.clients=36}, {@code -Dstress.mix=small} (more
 * small events), {@code -Dstress.perPublisher=2000}, {@code -Dstress.jettyAggregation=0}
 * (Jetty writes from the caller's array). The virtual-writer variants run on Java 21+ only.
 * When a client misses its last event the test prints the client's last bytes, a thread
 * dump and every stream's engine and container state, which tells a stall in the starter
 * or the container from one in TCP (see {@code SlowSseClient}'s receive buffer).
 */
@ExtendWith(OutputCaptureExtension.class)
class ContainerDeliveryStressTest {

	private static final int TOPICS = 4;

	/** What {@code ./mvnw verify} runs (the largest and the smallest batches); {@code -Dstress.all=true} runs all. */
	private static final String IN_THE_BUILD = "tomcat-false-64KB,jetty-false-64KB,tomcat-false-4KB,jetty-false-4KB,"
			+ "tomcat-true-4KB,jetty-true-4KB";

	private static final int CLIENTS = Integer.getInteger("stress.clients", 24);

	private static final int PUBLISHERS = 4;

	private static final int PER_PUBLISHER = Integer.getInteger("stress.perPublisher", 1000);

	private static final boolean SMALL = "small".equals(System.getProperty("stress.mix"));

	private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	@ParameterizedTest(name = "{0} virtual={1} batch={2}")
	@CsvSource({ "tomcat, false, 64KB", "jetty, false, 64KB", "tomcat, true, 64KB", "jetty, true, 64KB",
			"tomcat, false, 12KB", "jetty, false, 12KB", "tomcat, false, 4KB", "jetty, false, 4KB", "tomcat, true, 4KB", "jetty, true, 4KB" })
	void everyClientGetsExactlyWhatWasPublished(String server, boolean virtual, String batch, CapturedOutput output)
			throws Exception {
		String only = System.getProperty("stress.only", Boolean.getBoolean("stress.all") ? null : IN_THE_BUILD);
		Assumptions.assumeTrue(
				only == null || java.util.Arrays.asList(only.split(",")).contains(server + "-" + virtual + "-" + batch),
				"not among the variants run (stress.only, stress.all)");
		Assumptions.assumeTrue(!virtual || Runtime.version().feature() >= 21, "virtual writers need Java 21");
		for (int round = 0; round < Integer.getInteger("stress.repeat", 1); round++) {
			oneRun(server, virtual, batch, output);
		}
	}

	private void oneRun(String server, boolean virtual, String batch, CapturedOutput output) throws Exception {
		long started = System.nanoTime();
		Class<?>[] sources = (Integer.getInteger("stress.jettyAggregation") != null && server.equals("jetty"))
				? new Class<?>[] { BenchmarkApplication.class, JettyAggregation.class }
				: new Class<?>[] { BenchmarkApplication.class };
		try (ConfigurableApplicationContext node = new org.springframework.boot.builder.SpringApplicationBuilder(sources)
			.properties(Servers.on(server))
			.properties(
				"sse.writer.virtual-threads=" + virtual, "sse.writer.max-batch-size=" + batch,
				"sse.replay.max-events=100000", "sse.replay.max-bytes=1GB", "sse.write-timeout=30s",
				"sse.heartbeat.interval=100ms", "logging.level.root=WARN")
			.run()) {
			run(node.getBean(SseEngine.class), Servers.port(node), server + "/virtual=" + virtual + "/" + batch);
		}
		System.err.println("[stress] " + server + " virtual=" + virtual + " batch=" + batch + " took "
				+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
		assertThat(output.toString()).doesNotContain(" ERROR ").doesNotContain("Exception");
	}

	private void run(SseEngine engine, int port, String label) throws Exception {
		DeliveryCheck published = new DeliveryCheck();
		Map<String, String> payloads = new ConcurrentHashMap<>();
		AtomicLongArray lastPerTopic = new AtomicLongArray(TOPICS);
		List<SlowSseClient> clients = new ArrayList<>();
		List<Set<String>> topicsOf = new ArrayList<>();
		ScheduledExecutorService pauser = Executors.newSingleThreadScheduledExecutor();
		ExecutorService publishers = Executors.newFixedThreadPool(PUBLISHERS);
		try {
			for (int i = 0; i < CLIENTS; i++) {
				Set<String> topics = switch (i % 3) {
					case 0 -> Set.of("t" + (i % TOPICS));
					case 1 -> Set.of("t" + (i % TOPICS), "t" + ((i + 1) % TOPICS));
					default -> Set.of("t0", "t1", "t2", "t3");
				};
				String query = "/api/v1/sse?topics=" + String.join(",", topics);
				SlowSseClient client = switch ((i / 3) % 4) {
					case 0 -> new SlowSseClient(port, query, 65536, Duration.ZERO); // fast
					case 1 -> new SlowSseClient(port, query, 1024 + 97 * i, Duration.ofNanos(300_000)); // slow
					case 2 -> new SlowSseClient(port, query, 8192, Duration.ZERO); // stop and go
					default -> new SlowSseClient(port, query, 100 + i, Duration.ZERO); // tiny reads
				};
				if ((i / 3) % 4 == 2) {
					long period = 150 + 37L * i;
					pauser.scheduleAtFixedRate(() -> {
						if (ThreadLocalRandom.current().nextBoolean()) {
							client.pause();
						}
						else {
							client.resume();
						}
					}, period, period, TimeUnit.MILLISECONDS);
				}
				clients.add(client);
				topicsOf.add(topics);
			}
			for (SlowSseClient client : clients) {
				client.awaitEvent((event) -> event.type().equals("sse.connected"), Duration.ofSeconds(10));
			}
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> running = new ArrayList<>();
			for (int p = 0; p < PUBLISHERS; p++) {
				int publisher = p;
				running.add(publishers.submit(() -> {
					Random random = new Random(publisher * 7919L);
					start.await();
					int n = 0;
					while (n < PER_PUBLISHER) {
						int burst = 1 + random.nextInt(30);
						for (int b = 0; b < burst && n < PER_PUBLISHER; b++, n++) {
							int size = SMALL ? switch (random.nextInt(10)) {
								case 0 -> 3500 + random.nextInt(1000);
								case 1 -> 8500 + random.nextInt(1000);
								case 2, 3, 4 -> 1 + random.nextInt(20);
								case 5, 6 -> 400 + random.nextInt(200);
								default -> 1 + random.nextInt(1500);
							} : switch (random.nextInt(6)) {
								case 0 -> 1 + random.nextInt(20);
								case 1 -> 400 + random.nextInt(200);
								case 2 -> 3500 + random.nextInt(1000);
								case 3 -> 8500 + random.nextInt(1000);
								case 4 -> 1 + random.nextInt(12_000);
								default -> 60 + random.nextInt(200);
							};
							String payload = payload(publisher, n, size, random.nextLong());
							int topicCount = 1 + random.nextInt(2);
							Set<String> topics = (topicCount == 1) ? Set.of("t" + random.nextInt(TOPICS))
									: Set.of("t" + random.nextInt(2), "t" + (2 + random.nextInt(2)));
							String id = engine.publish(topics, SseEvent.of("item", payload));
							payloads.put(id, payload);
							published.published(id, topics);
							long order = published.order(id);
							for (String topic : topics) {
								lastPerTopic.accumulateAndGet(topic.charAt(1) - '0', order, Math::max);
							}
						}
						if (random.nextInt(4) == 0) {
							TimeUnit.MILLISECONDS.sleep(1 + random.nextInt(4));
						}
						else {
							Thread.onSpinWait();
						}
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> publisher : running) {
				publisher.get(120, TimeUnit.SECONDS);
			}
			pauser.shutdownNow();
			for (SlowSseClient client : clients) {
				client.resume();
			}
			List<String> failures = new ArrayList<>();
			for (int i = 0; i < CLIENTS; i++) {
				SlowSseClient client = clients.get(i);
				long last = -1;
				for (String topic : topicsOf.get(i)) {
					last = Math.max(last, lastPerTopic.get(topic.charAt(1) - '0'));
				}
				long target = last;
				String name = label + " client " + i + " " + topicsOf.get(i);
				try {
					client.awaitEvent((event) -> event.id() != null && !event.id().isEmpty()
							&& !event.type().equals("sse.connected") && published.order(event.id()) >= target,
							Duration.ofSeconds(60));
					List<DeliveryCheck.Received> received = client.received();
					DeliveryCheck.Outcome outcome = published.verifyComplete(name, topicsOf.get(i), null, received);
					int checked = 0;
					for (DeliveryCheck.Received event : received) {
						if (event.type().startsWith("sse.")) {
							continue;
						}
						String expected = payloads.get(event.id());
						if (!event.data().equals(expected)) {
							throw new AssertionError(name + ": data of " + event.id() + " differs: received "
									+ abbreviate(event.data()) + " expected " + abbreviate(expected));
						}
						checked++;
					}
					if (outcome.totalResets() != 0) {
						failures.add(name + ": resets " + outcome.resets());
					}
					if (client.streams() != 1) {
						failures.add(name + ": streams " + client.streams());
					}
					System.err.println("[stress] " + name + " ok: " + checked + " events, resets " + outcome.resets()
							+ ", streams " + client.streams());
				}
				catch (AssertionError ex) {
					if (failures.isEmpty()) {
						dumpThreads();
						dumpConnections(engine);
					}
					failures.add(ex.getMessage().substring(0, Math.min(3000, ex.getMessage().length()))
							+ "\n  streams=" + client.streams() + " problems=" + client.problems + "\n  raw tail: "
							+ client.rawTail());
				}
				if (!client.problems.isEmpty()) {
					failures.add(name + ": problems " + client.problems);
				}
			}
			assertThat(failures).isEmpty();
		}
		finally {
			pauser.shutdownNow();
			publishers.shutdownNow();
			for (SlowSseClient client : clients) {
				client.close();
			}
		}
	}

	/** Jetty writing straight from the caller's array: output aggregation below the scratch size (stress.jettyAggregation). */
	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	static class JettyAggregation {

		@org.springframework.context.annotation.Bean
		org.springframework.boot.web.server.WebServerFactoryCustomizer<org.springframework.boot.jetty.servlet.JettyServletWebServerFactory> jettyAggregation() {
			int size = Integer.getInteger("stress.jettyAggregation");
			return (factory) -> factory.addServerCustomizers((jetty) -> {
				for (org.eclipse.jetty.server.Connector connector : jetty.getConnectors()) {
					org.eclipse.jetty.server.HttpConnectionFactory http = connector
						.getConnectionFactory(org.eclipse.jetty.server.HttpConnectionFactory.class);
					if (http != null) {
						http.getHttpConfiguration().setOutputAggregationSize(size);
						System.err.println("[stress] jetty outputAggregationSize=" + http.getHttpConfiguration().getOutputAggregationSize());
					}
				}
			});
		}

	}

	static void dumpThreads() {
		StringBuilder dump = new StringBuilder("[stress] THREAD DUMP\n");
		Thread.getAllStackTraces().forEach((thread, stack) -> {
			dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
			for (StackTraceElement element : stack) {
				dump.append("    at ").append(element).append('\n');
			}
		});
		System.err.println(dump);
	}

	/** Every open stream's engine and container state, by reflection: what a stall is waiting for. */
	static void dumpConnections(SseEngine engine) {
		StringBuilder dump = new StringBuilder("[stress] CONNECTIONS at nanoTime " + System.nanoTime() + "\n");
		for (io.github.ssestarter.engine.SseConnection connection : engine.registry().connections()) {
			dump.append(connection.clientId()).append(" topics=").append(connection.topics()).append(' ');
			fields(connection, dump);
			dump.append("\n    queue: ");
			fields(field(connection, "queue"), dump);
			Object transport = field(connection, "transport");
			dump.append("\n    transport: ");
			fields(transport, dump);
			Object response = find(field(transport, "out"), "org.apache.coyote.Response", 4);
			if (response != null) {
				dump.append("\n    coyote response: ");
				fields(response, dump);
				Object processor = field(response, "hook");
				Object socket = (processor != null) ? field(processor, "socketWrapper") : null;
				if (socket != null) {
					dump.append("\n    socket: ");
					fields(socket, dump);
					Object buffers = field(socket, "socketBufferHandler");
					dump.append("\n    socket buffers: ").append(buffers).append(' ');
					if (buffers != null) {
						fields(buffers, dump);
						dump.append(" write buffer: ").append(field(buffers, "writeBuffer"));
					}
					dump.append("\n    non-blocking write buffer: ").append(field(socket, "nonBlockingWriteBuffer"));
				}
			}
			dump.append('\n');
		}
		System.err.println(dump);
	}

	/** The first object of the given class reachable through fields, at most depth steps away. */
	private static Object find(Object from, String className, int depth) {
		if (from == null || depth < 0) {
			return null;
		}
		if (from.getClass().getName().equals(className)) {
			return from;
		}
		for (Class<?> type = from.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
			for (java.lang.reflect.Field field : type.getDeclaredFields()) {
				if (java.lang.reflect.Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()
						|| field.getType().isArray() || field.getType().getName().startsWith("java.")) {
					continue;
				}
				Object found = find(field(from, field.getName(), type), className, depth - 1);
				if (found != null) {
					return found;
				}
			}
		}
		return null;
	}

	private static void fields(Object target, StringBuilder dump) {
		for (Class<?> type = target.getClass(); type != Object.class; type = type.getSuperclass()) {
			for (java.lang.reflect.Field field : type.getDeclaredFields()) {
				if (java.lang.reflect.Modifier.isStatic(field.getModifiers())
						|| !(field.getType().isPrimitive() || field.getType() == String.class)) {
					continue;
				}
				dump.append(field.getName()).append('=').append(field(target, field.getName(), type)).append(' ');
			}
		}
	}

	private static Object field(Object target, String name) {
		for (Class<?> type = target.getClass(); type != Object.class; type = type.getSuperclass()) {
			try {
				type.getDeclaredField(name);
				return field(target, name, type);
			}
			catch (NoSuchFieldException ex) {
				// look further up
			}
		}
		return null;
	}

	private static Object field(Object target, String name, Class<?> type) {
		try {
			java.lang.reflect.Field field = type.getDeclaredField(name);
			field.setAccessible(true);
			return field.get(target);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return ex.toString();
		}
	}

	/** A payload that names itself and whose body is random: bytes of another event show as a mismatch. */
	static String payload(int publisher, int n, int size, long seed) {
		StringBuilder text = new StringBuilder(size + 32).append('P').append(publisher).append('-').append(n)
			.append('|').append(size).append('|');
		Random random = new Random(seed);
		for (int i = 0; i < size; i++) {
			text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
		}
		return text.append("|END").toString();
	}

	private static String abbreviate(String text) {
		if (text == null) {
			return "null";
		}
		return (text.length() <= 200) ? text : text.substring(0, 100) + "..." + text.substring(text.length() - 100)
				+ " (" + text.length() + " chars)";
	}

}
