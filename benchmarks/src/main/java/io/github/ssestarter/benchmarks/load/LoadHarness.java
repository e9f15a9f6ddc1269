package io.github.ssestarter.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootVersion;

import io.github.ssestarter.benchmarks.load.LoadResults.FanOut;
import io.github.ssestarter.benchmarks.load.LoadResults.HeapShare;
import io.github.ssestarter.benchmarks.load.LoadResults.Idle;
import io.github.ssestarter.benchmarks.load.LoadResults.Latency;
import io.github.ssestarter.benchmarks.load.LoadResults.Run;
import io.github.ssestarter.benchmarks.load.LoadResults.Settings;
import io.github.ssestarter.benchmarks.load.LoadResults.SlowClients;
import io.github.ssestarter.benchmarks.load.LoadResults.SlowReaders;
import io.github.ssestarter.benchmarks.load.LoadResults.VariantResult;

/**
 * The load harness: starts each server variant as its own JVM on loopback, drives it with
 * {@link LoadClient} and runs the scenarios side by side in one run:
 * <ul>
 * <li>fan-out: every client, one topic, publishing as fast as the variant can;</li>
 * <li>latency: every client at a fixed rate, publish-to-receive percentiles;</li>
 * <li>slow clients: a tenth of the clients stop reading; the others' rate and p99 against
 * the same clients alone, and the heap the stalled backlog retains;</li>
 * <li>slow readers: a tenth of the clients read at half a fast client's rate; the others'
 * rate against their rate alone, and whether the slow readers lost events silently;</li>
 * <li>idle: many connections in a fresh JVM, heap and resident memory per connection.</li>
 * </ul>
 * Figures are reported as measured and as ratios to this starter and to the JDK NIO ceiling;
 * nothing here fails on a number.
 */
public final class LoadHarness {

	/** Variant name → what it is; the first is the ceiling, the second the starter. */
	static final Map<String, String> VARIANTS = new LinkedHashMap<>();

	/** The scenarios, in the order they run. */
	public static final List<String> SCENARIOS = List.of("fan-out", "latency", "slow-clients", "slow-readers",
			"idle");

	static final String CEILING = "nio";

	static final String STARTER = "starter";

	/** The starter with Actuator and Micrometer: the only variant whose server JVM gets them. */
	static final String STARTER_METRICS = "starter-metrics";

	static {
		VARIANTS.put(CEILING, "JDK NIO ceiling: pre-encoded frames, one write per socket per batch");
		VARIANTS.put(STARTER, "this starter, defaults, Tomcat");
		VARIANTS.put("starter-jetty", "this starter, defaults, Jetty");
		VARIANTS.put(STARTER_METRICS, "this starter, defaults, Tomcat, with Actuator and the Prometheus registry "
				+ "(sse.delivery.latency timed per delivery)");
		VARIANTS.put("handrolled", "hand-rolled ConcurrentHashMap<SseEmitter> + send loop, Tomcat");
		VARIANTS.put("webflux", "WebFlux Flux<ServerSentEvent> from Sinks.many().multicast().directBestEffort(), Netty");
		VARIANTS.put("eventbus", "ch.rasc:sse-eventbus 2.0.1, Tomcat");
	}

	private static final int DATA_BYTES = 100;

	private static final long QUIET_MILLIS = 1000;

	private static final int BURST = 100;

	private static final int FAN_OUT_ROUNDS = 3;

	private static final int WINDOW = 200;

	private final Settings settings;

	private final int fanOutSeconds;

	/** Measured rounds of a full-speed scenario: {@value #FAN_OUT_ROUNDS}, one in a smoke run. */
	private final int rounds;

	/**
	 * How long to wait for a server to notice closed connections, which some only do at
	 * their next write (not required).
	 */
	private final int settleSeconds;

	private final Set<String> scenarios;

	private LoadHarness(boolean smoke, Set<String> scenarios) {
		this.scenarios = scenarios;
		this.settings = smoke ? new Settings(20, 200, 1000, 1, 2, DATA_BYTES, "1g", true)
				: new Settings(1000, 10_000, 1000, 10, 100, DATA_BYTES, "1g", false);
		this.fanOutSeconds = smoke ? 1 : 5;
		this.rounds = smoke ? 1 : FAN_OUT_ROUNDS;
		this.settleSeconds = smoke ? 2 : 15;
	}

	/**
	 * Run the scenarios for every variant (or those named) and write {@code load.md},
	 * {@code load.json} and {@code load.png} into the output directory.
	 * @param smoke whether to run tiny sizes, only to prove the harness works
	 * @param only the variants to run; empty for all
	 * @param scenarios some of {@link #SCENARIOS}
	 * @param output where the results go
	 * @return the results
	 * @throws IllegalArgumentException if a variant or scenario is not one of the harness's
	 * (before anything is measured or written)
	 */
	public static Run run(boolean smoke, List<String> only, Set<String> scenarios, Path output) throws Exception {
		List<String> unknownVariants = only.stream().filter((name) -> !VARIANTS.containsKey(name)).toList();
		if (!unknownVariants.isEmpty()) {
			throw new IllegalArgumentException("Unknown variant " + String.join(", ", unknownVariants) + "; the variants are "
					+ String.join(", ", VARIANTS.keySet()));
		}
		List<String> unknownScenarios = scenarios.stream().filter((name) -> !SCENARIOS.contains(name)).toList();
		if (!unknownScenarios.isEmpty()) {
			throw new IllegalArgumentException("Unknown scenario " + String.join(", ", unknownScenarios)
					+ "; the scenarios are " + String.join(", ", SCENARIOS));
		}
		LoadHarness harness = new LoadHarness(smoke, scenarios);
		List<VariantResult> results = new ArrayList<>();
		for (Map.Entry<String, String> variant : VARIANTS.entrySet()) {
			if (only.isEmpty() || only.contains(variant.getKey())) {
				log("== " + variant.getKey() + ": " + variant.getValue());
				results.add(harness.measure(variant.getKey(), variant.getValue()));
			}
		}
		Run run = new Run(Instant.now().toString(), machine(), harness.settings, results);
		write(run, output);
		return run;
	}

	/**
	 * Write the report, JSON and chart again from the figures a run saved in
	 * {@code load.json}, without measuring (after a change to the report's form).
	 * @param output the directory holding {@code load.json}
	 * @throws IOException if it cannot be read or written
	 */
	public static void rewrite(Path output) throws IOException {
		JsonMapper mapper = JsonMapper.builder().build();
		JsonNode saved = mapper.readTree(Files.readString(output.resolve("load.json")));
		write(mapper.treeToValue(saved.get("run"), Run.class), output);
	}

	private static void write(Run run, Path output) throws IOException {
		Files.createDirectories(output);
		Files.writeString(output.resolve("load.md"), LoadReport.markdown(run));
		Files.writeString(output.resolve("load.json"), LoadReport.json(run));
		LoadChart.write(run, output.resolve("load.png"));
		System.out.println(LoadReport.markdown(run));
	}

	private VariantResult measure(String variant, String description) {
		List<String> notes = new ArrayList<>();
		FanOut fanOut = null;
		Latency latency = null;
		SlowClients slow = null;
		SlowReaders slowReaders = null;
		Idle idle = null;
		int clients = this.settings.clients();
		if (this.scenarios.contains("fan-out") || this.scenarios.contains("latency")
				|| this.scenarios.contains("slow-clients") || this.scenarios.contains("slow-readers")) {
			try (ServerProcess server = ServerProcess.start(variant, this.settings.serverHeap());
					LoadClient client = new LoadClient(2)) {
				client.connect(server.port, server.path, clients, false);
				requireConnections(server, clients);
				fanOut = this.scenarios.contains("fan-out") ? fanOut(server, client, clients, notes) : null;
				latency = this.scenarios.contains("latency") ? latency(server, client, clients, notes) : null;
				slow = this.scenarios.contains("slow-clients") ? slowClients(server, client, notes) : null;
				slowReaders = this.scenarios.contains("slow-readers") ? slowReaders(server, client, notes) : null;
			}
			catch (Exception ex) {
				notes.add("stopped early: " + ex.getMessage());
				log(variant + " stopped early: " + ex);
			}
		}
		if (this.scenarios.contains("idle")) {
			try {
				idle = idle(variant, notes);
			}
			catch (Exception ex) {
				notes.add("idle: " + ex.getMessage());
				log(variant + " idle failed: " + ex);
			}
		}
		return new VariantResult(variant, description, fanOut, latency, slow, slowReaders, idle, notes);
	}

	/**
	 * Full speed for {@value #FAN_OUT_ROUNDS} rounds after a warm-up; the round with the
	 * median server CPU per delivery is reported, and the spread of all rounds noted (on a
	 * shared machine one round can be a quarter off the next).
	 */
	private FanOut fanOut(ServerProcess server, LoadClient client, int clients, List<String> notes)
			throws Exception {
		fullSpeed(server, client, clients, this.fanOutSeconds * 400L); // JIT warm-up
		List<Throughput> rounds = new ArrayList<>();
		for (int i = 0; i < this.rounds; i++) {
			rounds.add(fullSpeed(server, client, clients, this.fanOutSeconds * 1000L));
		}
		rounds.sort(Comparator.comparingDouble(Throughput::cpuMicrosPerDelivery));
		Throughput measured = rounds.get(rounds.size() / 2);
		String spread = String.format(Locale.ROOT,
				"fan-out: median of %d rounds; deliveries/s %,.0f to %,.0f, server CPU %.3f to %.3f µs per delivery",
				rounds.size(), rounds.stream().mapToDouble(Throughput::deliveriesPerSecond).min().orElse(0),
				rounds.stream().mapToDouble(Throughput::deliveriesPerSecond).max().orElse(0),
				rounds.get(0).cpuMicrosPerDelivery(), rounds.get(rounds.size() - 1).cpuMicrosPerDelivery());
		notes.add(spread);
		log(String.format(Locale.ROOT, "fan-out: %,d published, %,.0f deliveries/s, %.3f µs server CPU and %.3f µs "
				+ "client CPU per delivery, %d dropped (%s)", measured.published, measured.deliveriesPerSecond(),
				measured.cpuMicrosPerDelivery(), measured.clientCpuMicrosPerDelivery(), measured.dropped,
				spread.substring("fan-out: ".length())));
		boolean any = measured.delivered > 0;
		return new FanOut(clients, measured.published, measured.delivered, measured.deliveriesPerSecond(),
				any ? measured.cpuMicrosPerDelivery() : null, any ? measured.clientCpuMicrosPerDelivery() : null,
				(measured.dropped < 0) ? null : measured.dropped);
	}

	private Latency latency(ServerProcess server, LoadClient client, int clients, List<String> notes) throws Exception {
		int rate = this.settings.latencyRate();
		int seconds = this.settings.latencySeconds();
		paced(server, client, clients, rate, rate, 2_000); // one second of warm-up
		Throughput measured = paced(server, client, clients, rate * seconds, rate, seconds * 1_500L);
		double achieved = measured.published / (measured.publishNanos / 1e9);
		long expected = measured.published * clients;
		if (measured.published < (long) rate * seconds || achieved < rate * 0.95) {
			notes.add(String.format(Locale.ROOT, "latency: could not sustain %d events/s (published %,d in %.1f s)",
					rate, measured.published, measured.publishNanos / 1e9));
		}
		if (measured.delivered < expected) {
			notes.add(String.format(Locale.ROOT, "latency: %,d of %,d deliveries arrived (%.2f %%)",
					measured.delivered, expected, 100.0 * measured.delivered / expected));
		}
		Histogram latencies = measured.latencies;
		log(String.format(Locale.ROOT, "latency: %.0f events/s achieved, %,d/%,d delivered, p50 %.2f ms, p99 %.2f ms, "
				+ "p99.9 %.2f ms, %.3f µs server CPU per delivery, %d GC pauses (%d ms, longest %d ms)", achieved,
				measured.delivered, expected, millis(latencies, 50), millis(latencies, 99), millis(latencies, 99.9),
				measured.cpuMicrosPerDelivery(), measured.gc.count(), measured.gc.totalMillis(),
				measured.gc.longestMillis()));
		return new Latency(clients, rate, achieved, expected, measured.delivered, millis(latencies, 50),
				millis(latencies, 99), millis(latencies, 99.9), millis(latencies, 100),
				(measured.delivered > 0) ? measured.cpuMicrosPerDelivery() : null, measured.gc.count(),
				measured.gc.totalMillis(), measured.gc.longestMillis());
	}

	private SlowClients slowClients(ServerProcess server, LoadClient client, List<String> notes) throws Exception {
		int stalled = this.settings.stalledClients();
		int fast = this.settings.clients() - stalled;
		client.closeLast(stalled);
		Throughput baseline = fastClientsAlone(server, client, fast);
		long heapBefore = server.stats().heapBytes();
		client.connect(server.port, server.path, stalled, true);
		requireConnections(server, fast + stalled);
		Throughput withStalled;
		try {
			withStalled = fullSpeed(server, client, fast, this.fanOutSeconds * 1000L);
		}
		catch (PublisherBlockedException ex) {
			notes.add("slow clients: the publisher blocked on a stalled client and never finished");
			return new SlowClients(fast, stalled, baseline.ratePerClient(fast), null, null,
					millis(baseline.latencies, 99), null, null, null);
		}
		double unboundedMb = (double) withStalled.published * stalled * (DATA_BYTES + 30) / (1024 * 1024);
		double retainedMb = (server.stats().heapBytes() - heapBefore) / (1024.0 * 1024);
		log(String.format(Locale.ROOT, "slow clients: fast clients %,.0f → %,.0f events/s each, p99 %.1f → %.1f ms, "
				+ "retained %.1f MB", baseline.ratePerClient(fast), withStalled.ratePerClient(fast),
				millis(baseline.latencies, 99), millis(withStalled.latencies, 99), retainedMb));
		return new SlowClients(fast, stalled, baseline.ratePerClient(fast), withStalled.ratePerClient(fast),
				withStalled.ratePerClient(fast) / baseline.ratePerClient(fast), millis(baseline.latencies, 99),
				millis(withStalled.latencies, 99), retainedMb, unboundedMb);
	}

	/** The fast clients at full speed once the others are gone, after a warm-up for the change of clients. */
	private Throughput fastClientsAlone(ServerProcess server, LoadClient client, int fast) throws Exception {
		awaitConnections(server, fast, this.settleSeconds); // a server may only notice at its next write
		fullSpeed(server, client, fast, this.fanOutSeconds * 400L);
		return fullSpeed(server, client, fast, this.fanOutSeconds * 1000L);
	}

	/**
	 * The fast clients at full speed alone (median of three rounds), then for four rounds
	 * in a row beside slow readers that each take half the bytes of what is published, so
	 * they fall further and further behind, past the kernel's socket buffers and their
	 * queues (median of the four); then the slow readers take whatever is still coming to
	 * them, and their streams are checked for silent gaps. Medians, because on a shared
	 * machine two rounds of the same clients can differ by a fifth. A smoke run takes one
	 * round alone and two beside the slow readers.
	 */
	private SlowReaders slowReaders(ServerProcess server, LoadClient client, List<String> notes) throws Exception {
		int slow = this.settings.stalledClients();
		int fast = this.settings.clients() - slow;
		client.closeStalled(); // left by the slow-clients scenario
		client.closeLast(client.readingConnections() - fast);
		List<Throughput> alone = new ArrayList<>(List.of(fastClientsAlone(server, client, fast)));
		double bytesPerEvent = (double) client.bytes() / Math.max(1, alone.get(0).delivered);
		for (int i = 1; i < this.rounds; i++) {
			alone.add(fullSpeed(server, client, fast, this.fanOutSeconds * 1000L));
		}
		Throughput baseline = median(alone);
		ServerProcess.Stats before = server.stats();
		client.connectSlow(server.port, server.path, slow);
		requireConnections(server, fast + slow);
		Throughput withSlow;
		List<Throughput> rounds = new ArrayList<>();
		try {
			for (int i = 0; i < this.rounds + 1; i++) {
				rounds.add(fullSpeed(server, client, fast, this.fanOutSeconds * 1000L,
						(events) -> client.allowSlowReaders((long) (events * bytesPerEvent / 2))));
			}
			withSlow = median(rounds);
		}
		catch (PublisherBlockedException ex) {
			notes.add("slow readers: the publisher blocked on a slow reader and never finished");
			client.closeSlow();
			return null;
		}
		double retainedMb = (server.stats().heapBytes() - before.heapBytes()) / (1024.0 * 1024);
		long slowRate = (long) (withSlow.published / withSlow.elapsedSeconds() * bytesPerEvent / 2);
		client.allowSlowReaders(Long.MAX_VALUE / 4); // now let them take whatever is still coming to them
		client.awaitSlowQuiet(2_000, 120_000);
		LoadClient.SlowReport report = client.slowReport();
		ServerProcess.Stats after = server.stats();
		client.closeSlow();
		Long catchUps = (before.catchUps() < 0) ? null : after.catchUps() - before.catchUps();
		if (report.lostSilently() > 0) {
			notes.add(String.format(Locale.ROOT, "slow readers: %,d events lost without notice in %,d gaps",
					report.lostSilently(), report.silentGaps()));
		}
		log(String.format(Locale.ROOT, "slow readers (%,d B/s each): fast clients %,.0f → %,.0f events/s each, "
				+ "retained %.1f MB; slow readers received %,d events, %,d lost silently, %,d out of order, %,d resets, "
				+ "%s catch-ups", slowRate, baseline.ratePerClient(fast), withSlow.ratePerClient(fast), retainedMb,
				report.events(), report.lostSilently(), report.outOfOrder(), report.resets(),
				(catchUps != null) ? String.format(Locale.ROOT, "%,d", catchUps) : "no"));
		return new SlowReaders(fast, slow, slowRate, baseline.ratePerClient(fast), withSlow.ratePerClient(fast),
				withSlow.ratePerClient(fast) / baseline.ratePerClient(fast), millis(baseline.latencies, 99),
				millis(withSlow.latencies, 99), retainedMb, rounds.stream().mapToLong(Throughput::published).sum(),
				report.events(),
				report.lostSilently(), report.outOfOrder(), report.resets(), catchUps);
	}

	private Idle idle(String variant, List<String> notes) throws Exception {
		int requested = this.settings.idleConnections();
		try (ServerProcess server = ServerProcess.start(variant, this.settings.serverHeap());
				LoadClient client = new LoadClient(2)) {
			ServerProcess.Stats empty = server.stats();
			Map<String, long[]> emptyHistogram = server.histogram();
			int opened = 0;
			int measured = 0;
			int step = Math.max(1, requested / 5);
			ServerProcess.Stats last = empty;
			while (opened < requested) {
				int batch = Math.min(step, requested - opened);
				client.connect(server.port, server.path, batch, false);
				int served = server.isAlive() ? awaitConnections(server, opened + batch, 30) : 0;
				if (served < opened + batch) {
					notes.add("idle: " + served + " of " + requested + " connections served"
							+ (server.isAlive() ? "" : "; the server exited (out of memory with a "
									+ this.settings.serverHeap() + " heap) after " + opened));
					break;
				}
				opened = served;
				last = server.stats();
				measured = opened;
			}
			if (server.isAlive() && opened == requested) { // one event through every connection, so write paths are set up
				client.resetCount();
				try {
					server.publish(1, 0, 10_000);
					client.awaitQuiet(opened, 2_000, 30_000);
					if (client.received() < opened) {
						notes.add("idle: " + client.received() + " of " + opened + " connections received the event");
					}
					last = server.stats();
				}
				catch (Exception ex) {
					if (server.isAlive()) {
						throw ex;
					}
					notes.add("idle: the server exited (out of memory with a " + this.settings.serverHeap()
							+ " heap) sending one event to its " + opened
							+ " connections; memory as measured before that event");
				}
			}
			if (measured == 0) {
				return new Idle(requested, opened, null, null, List.of());
			}
			double heapKb = (last.heapBytes() - empty.heapBytes()) / 1024.0 / measured;
			double rssKb = (last.rssBytes() - empty.rssBytes()) / 1024.0 / measured;
			List<HeapShare> breakdown = server.isAlive() ? heapBreakdown(emptyHistogram, server.histogram(), measured)
					: List.of();
			log(String.format(Locale.ROOT, "idle: %,d connections, %.1f KB heap and %.1f KB RSS each; largest shares: %s",
					measured, heapKb, rssKb,
					breakdown.stream()
						.limit(6)
						.map((share) -> String.format(Locale.ROOT, "%s %.1f KB", share.className(),
								share.bytesPerConnection() / 1024))
						.toList()));
			return new Idle(requested, opened, heapKb, rssKb, breakdown);
		}
	}

	/**
	 * What each connection added to the heap, by class: the classes that grew by at least
	 * 64 bytes per connection, largest first.
	 */
	private static List<HeapShare> heapBreakdown(Map<String, long[]> before, Map<String, long[]> after,
			int connections) {
		List<HeapShare> shares = new ArrayList<>();
		after.forEach((name, counts) -> {
			long[] was = before.getOrDefault(name, new long[2]);
			double bytes = (double) (counts[1] - was[1]) / connections;
			if (bytes >= 64) {
				shares.add(new HeapShare(name, (double) (counts[0] - was[0]) / connections, bytes));
			}
		});
		shares.sort(Comparator.comparingDouble(HeapShare::bytesPerConnection).reversed());
		return shares;
	}

	/** Wait until the server counts this many streams; returns its count (-1 if it exited). */
	private static int awaitConnections(ServerProcess server, int expected, int seconds) throws Exception {
		long deadline = System.nanoTime() + seconds * 1_000_000_000L;
		int count;
		do {
			try {
				count = server.connections();
			}
			catch (IllegalStateException ex) {
				if (!server.isAlive()) {
					return -1;
				}
				throw ex;
			}
			if (count != expected) {
				Thread.sleep(20);
			}
		}
		while (count != expected && System.nanoTime() < deadline);
		return count;
	}

	/** The round with the median delivery rate. */
	private static Throughput median(List<Throughput> rounds) {
		List<Throughput> sorted = new ArrayList<>(rounds);
		sorted.sort(Comparator.comparingDouble(Throughput::deliveriesPerSecond));
		return sorted.get(sorted.size() / 2);
	}

	private static void requireConnections(ServerProcess server, int expected) throws Exception {
		int count = awaitConnections(server, expected, 30);
		if (count != expected) {
			throw new IllegalStateException("the server serves " + count + " streams, not " + expected);
		}
	}

	/**
	 * Publish at a fixed rate and wait until every delivery arrived or nothing has arrived
	 * for a second; the rate counts from the first publish to the last arrival.
	 */
	private static Throughput paced(ServerProcess server, LoadClient client, int clients, int events, int rate,
			long maxMillis) throws Exception {
		Measurement measurement = new Measurement(server, client);
		long[] published = server.publish(events, rate, maxMillis);
		if (published == null) {
			throw new PublisherBlockedException();
		}
		return measurement.finish(published[0], published[1], clients);
	}

	/**
	 * Publish as fast as the clients take it, for this long: bursts of {@value #BURST}
	 * events, each sent once all but {@value #WINDOW} of the events published so far have
	 * reached every client (or nothing has arrived for a second). The publisher never runs
	 * more than a window ahead of the clients, so no variant drops for want of queue space
	 * and the server's CPU goes into deliveries, not into events it will discard.
	 */
	private static Throughput fullSpeed(ServerProcess server, LoadClient client, int clients, long millis)
			throws Exception {
		return fullSpeed(server, client, clients, millis, (events) -> {
		});
	}

	/** {@link #fullSpeed} telling {@code publishedNow} how many events each burst published. */
	private static Throughput fullSpeed(ServerProcess server, LoadClient client, int clients, long millis,
			java.util.function.LongConsumer publishedNow) throws Exception {
		Measurement measurement = new Measurement(server, client);
		long sent = 0;
		long publishNanos = 0;
		while (System.nanoTime() - measurement.start < millis * 1_000_000L) {
			long[] published = server.publish(BURST, 0, 30_000);
			if (published == null) {
				throw new PublisherBlockedException();
			}
			sent += published[0];
			publishNanos += published[1];
			publishedNow.accept(published[0]);
			client.awaitQuiet((sent - WINDOW) * clients, QUIET_MILLIS, 30_000);
		}
		return measurement.finish(sent, publishNanos, clients);
	}

	/** The counters at the start of a measurement. */
	private static final class Measurement {

		private final ServerProcess server;

		private final LoadClient client;

		private final long droppedBefore;

		private final long cpuBefore;

		private final long clientCpuBefore;

		final long start;

		Measurement(ServerProcess server, LoadClient client) throws Exception {
			this.server = server;
			this.client = client;
			this.droppedBefore = server.stats().dropped();
			client.resetCount();
			client.drainHistogram();
			this.cpuBefore = server.cpuNanos();
			server.gcPauses(); // counts afresh from here
			this.clientCpuBefore = ownCpuNanos();
			this.start = System.nanoTime();
		}

		Throughput finish(long published, long publishNanos, int clients) throws Exception {
			long last = this.client.awaitQuiet(published * clients, QUIET_MILLIS, 120_000);
			long cpu = this.server.cpuNanos() - this.cpuBefore;
			ServerProcess.GcPauses gc = this.server.gcPauses();
			long clientCpu = ownCpuNanos() - this.clientCpuBefore;
			long delivered = this.client.received();
			Histogram latencies = this.client.drainHistogram();
			long droppedAfter = this.server.stats().dropped();
			long dropped = (this.droppedBefore < 0) ? -1 : droppedAfter - this.droppedBefore;
			return new Throughput(published, publishNanos, delivered, Math.max(1, last - this.start), cpu, clientCpu,
					dropped, latencies, gc);
		}

	}

	/** The variant's publisher did not finish: it is stuck writing to a client. */
	private static final class PublisherBlockedException extends IllegalStateException {

		PublisherBlockedException() {
			super("the publisher blocked on a client and never finished");
		}

	}

	private static Double millis(Histogram histogram, double percentile) {
		if (histogram.getTotalCount() == 0) {
			return null;
		}
		long nanos = (percentile >= 100) ? histogram.getMaxValue() : histogram.getValueAtPercentile(percentile);
		return nanos / 1e6;
	}

	static void log(String line) {
		System.err.println("[load] " + line);
	}

	private static long ownCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
			.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	private record Throughput(long published, long publishNanos, long delivered, long elapsedNanos, long cpuNanos,
			long clientCpuNanos, long dropped, Histogram latencies, ServerProcess.GcPauses gc) {

		double deliveriesPerSecond() {
			return this.delivered / (this.elapsedNanos / 1e9);
		}

		double ratePerClient(int clients) {
			return deliveriesPerSecond() / clients;
		}

		double cpuMicrosPerDelivery() {
			return (this.delivered == 0) ? Double.NaN : this.cpuNanos / 1e3 / this.delivered;
		}

		double clientCpuMicrosPerDelivery() {
			return (this.delivered == 0) ? Double.NaN : this.clientCpuNanos / 1e3 / this.delivered;
		}

		double elapsedSeconds() {
			return this.elapsedNanos / 1e9;
		}

	}

	/**
	 * What the results were measured on.
	 * @return cores, CPU, memory, OS, JVM and Spring Boot version
	 */
	public static String machine() {
		return Machine.describe();
	}

	private static final class Machine {

		private Machine() {
		}

		static String describe() {
			return String.format(Locale.ROOT,
					"%d cores (%s), %d GB RAM, %s %s, Java %s (%s), Spring Boot %s",
					Runtime.getRuntime().availableProcessors(), cpuModel(), memoryGb(), System.getProperty("os.name"),
					System.getProperty("os.arch"), System.getProperty("java.version"),
					System.getProperty("java.vm.name"), SpringBootVersion.getVersion());
		}

		private static String cpuModel() {
			try {
				return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
					.filter((line) -> line.startsWith("model name"))
					.map((line) -> line.substring(line.indexOf(':') + 1).trim())
					.findFirst()
					.orElse("unknown CPU");
			}
			catch (Exception ex) {
				return "unknown CPU";
			}
		}

		private static long memoryGb() {
			return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
				.getOperatingSystemMXBean()).getTotalMemorySize() / (1024L * 1024 * 1024);
		}

	}

}
