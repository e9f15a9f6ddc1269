package io.github.ssestarter.benchmarks.servers;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

import com.sun.management.OperatingSystemMXBean;

/**
 * A variant server in its own JVM, driven by the harness over stdin/stdout:
 * <ul>
 * <li>{@code publish <count> <eventsPerSecond> <maxMillis>} (rate 0: as fast as possible; stops early
 * after maxMillis) → {@code PUBLISHED <published> <nanos>}</li>
 * <li>{@code stats} → {@code STATS <heapBytesAfterGc> <rssKb> <cpuNanos> <connections> <dropped> <catchUps>
 * <resets>}</li>
 * <li>{@code cpu} → {@code CPU <cpuNanos>}</li>
 * <li>{@code gc} → {@code GC <pauses> <totalMillis> <longestMillis>}: the collector's pauses since the last
 * {@code gc} ({@link GcPauses})</li>
 * <li>{@code connections} → {@code CONNECTIONS <n>}</li>
 * <li>{@code histogram} → the heap's class histogram after a full GC: {@code CLASS <instances> <bytes> <name>}
 * per class (the largest 40), then {@code HISTOGRAM}</li>
 * <li>{@code quit}</li>
 * </ul>
 * Replies start with {@value #REPLY}, so they stand out from anything else on stdout (logs). Each
 * event's data is {@code <System.nanoTime() at publish>:<sequence>:} padded to {@value #DATA_BYTES}
 * bytes; the sequence counts every event this server published, so a client sees a gap.
 */
public final class ServerMain {

	/** The prefix of every line the harness reads. */
	public static final String REPLY = "@@ ";

	static final int DATA_BYTES = 100;

	/** Events published so far; only the command loop's thread publishes. */
	private static long sequence;

	private ServerMain() {
	}

	public static void main(String[] args) throws Exception {
		Variant variant = switch (args[0]) {
			case "starter" -> new StarterVariant("tomcat");
			case "starter-jetty" -> new StarterVariant("jetty");
			case "starter-metrics" -> StarterVariant.withMetrics("tomcat");
			case "handrolled" -> new HandRolledVariant();
			case "webflux" -> new WebFluxVariant();
			case "eventbus" -> new EventBusVariant();
			case "nio" -> new NioVariant();
			default -> throw new IllegalArgumentException("Unknown variant " + args[0]);
		};
		GcPauses gcPauses = new GcPauses();
		int port = variant.start();
		reply("READY " + port + " " + variant.path());
		BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = commands.readLine()) != null) {
			String[] command = line.trim().split(" ");
			switch (command[0]) {
				case "publish" -> {
					reply("PUBLISHED " + publish(variant, Integer.parseInt(command[1]), Integer.parseInt(command[2]),
							Long.parseLong(command[3])));
				}
				case "stats" -> reply("STATS " + heapAfterGc() + " " + rssKb() + " " + cpuNanos() + " "
						+ variant.connections() + " " + variant.dropped() + " " + variant.catchUps() + " "
						+ variant.resets());
				case "cpu" -> reply("CPU " + cpuNanos());
				case "gc" -> reply("GC " + gcPauses.takeSummary());
				case "connections" -> reply("CONNECTIONS " + variant.connections());
				case "histogram" -> {
					classHistogram().forEach((row) -> reply("CLASS " + row));
					reply("HISTOGRAM");
				}
				case "quit" -> {
					reply("BYE");
					System.exit(0);
				}
				default -> reply("ERROR unknown command " + command[0]);
			}
		}
		System.exit(0);
	}

	private static void reply(String line) {
		System.out.println(REPLY + line);
		System.out.flush();
	}

	/**
	 * Publish at a fixed rate (pacing against the clock, so a late event does not push the
	 * later ones back) or as fast as possible; returns the events published and the time taken.
	 */
	private static String publish(Variant variant, int count, int perSecond, long maxMillis) {
		String padding = "x".repeat(DATA_BYTES);
		long start = System.nanoTime();
		long stop = start + maxMillis * 1_000_000L;
		long interval = (perSecond > 0) ? 1_000_000_000L / perSecond : 0;
		int i = 0;
		for (; i < count && (i % 64 != 0 || System.nanoTime() < stop); i++) {
			if (interval > 0) {
				long due = start + i * interval;
				long wait;
				while ((wait = due - System.nanoTime()) > 0) {
					LockSupport.parkNanos(wait);
				}
			}
			String prefix = System.nanoTime() + ":" + (++sequence) + ":";
			variant.publish(prefix + padding.substring(prefix.length()));
		}
		return i + " " + (System.nanoTime() - start);
	}

	private static long heapAfterGc() throws InterruptedException {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(100);
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

	/** The largest classes of the live heap, as {@code <instances> <bytes> <name>} (jcmd's GC.class_histogram). */
	private static java.util.List<String> classHistogram() throws Exception {
		Object histogram = ManagementFactory.getPlatformMBeanServer()
			.invoke(new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
					new Object[] { new String[0] }, new String[] { String[].class.getName() });
		java.util.List<String> rows = new java.util.ArrayList<>();
		for (String line : histogram.toString().split("\n")) {
			String[] parts = line.trim().split("\\s+");
			// "  1:        123456       7890123  byte[] (java.base@25)"
			if (parts.length >= 4 && parts[0].endsWith(":") && rows.size() < 40) {
				rows.add(parts[1] + " " + parts[2] + " " + parts[3]);
			}
		}
		return rows;
	}

	private static long rssKb() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (Exception ex) {
			// not Linux
		}
		return -1;
	}

	private static long cpuNanos() {
		return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
	}

}
