package io.github.ssestarter.benchmarks.load;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.ssestarter.benchmarks.servers.ServerMain;

/**
 * One server variant in its own JVM, started with this JVM's classpath and driven through
 * {@link ServerMain}'s stdin/stdout protocol. Its logs go to this process's stderr.
 */
final class ServerProcess implements AutoCloseable {

	private final Process process;

	private final Writer commands;

	private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

	final int port;

	final String path;

	private ServerProcess(String variant, String heap) throws Exception {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError"));
		if (Runtime.version().feature() >= 22) {
			command.add("--enable-native-access=ALL-UNNAMED"); // Netty is on the classpath of every variant
		}
		String extra = System.getProperty("load.jvmArgs", "").replace("{variant}", variant);
		if (!extra.isBlank()) {
			command.addAll(List.of(extra.trim().split("\\s+"))); // e.g. -XX:StartFlightRecording=filename=...
		}
		command.addAll(List.of("-cp", classpath(variant.equals(LoadHarness.STARTER_METRICS)), ServerMain.class.getName(),
				variant));
		this.process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		this.commands = new OutputStreamWriter(this.process.getOutputStream(), StandardCharsets.UTF_8);
		Thread reader = new Thread(this::readReplies, "server-replies-" + variant);
		reader.setDaemon(true);
		reader.start();
		String[] ready = await("READY", 120).split(" ");
		this.port = Integer.parseInt(ready[1]);
		this.path = ready[2];
	}

	/**
	 * This JVM's classpath, with the jars only the metrics variant may have (Actuator,
	 * Micrometer's Prometheus registry: {@code target/lib-metrics}) added for it and taken
	 * out for every other variant (they are on the test classpath as {@code provided}).
	 */
	private static String classpath(boolean metrics) throws IOException, URISyntaxException {
		Path metricsJars = Path.of(ServerProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI())
			.getParent()
			.resolve("lib-metrics");
		List<Path> extra = new ArrayList<>();
		if (Files.isDirectory(metricsJars)) {
			try (Stream<Path> jars = Files.list(metricsJars)) {
				jars.filter((jar) -> jar.toString().endsWith(".jar")).sorted().forEach(extra::add);
			}
		}
		Set<String> extraNames = new HashSet<>();
		extra.forEach((jar) -> extraNames.add(jar.getFileName().toString()));
		List<String> entries = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			if (metrics || !extraNames.contains(Path.of(entry).getFileName().toString())) {
				entries.add(entry);
			}
		}
		if (metrics) {
			extra.forEach((jar) -> entries.add(jar.toString()));
		}
		return String.join(File.pathSeparator, entries);
	}

	/** Start a variant with this heap size (e.g. {@code 1g}) and wait until it serves. */
	static ServerProcess start(String variant, String heap) throws Exception {
		return new ServerProcess(variant, heap);
	}

	private void readReplies() {
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = out.readLine()) != null) {
				if (line.startsWith(ServerMain.REPLY)) {
					this.replies.add(line.substring(ServerMain.REPLY.length()));
				}
			}
		}
		catch (IOException ex) {
			// the process ended
		}
	}

	/**
	 * Publish events; returns {@code [published, nanos]}, or {@code null} when the server
	 * did not answer in time (its publisher is stuck).
	 */
	long[] publish(int count, int perSecond, long maxMillis) throws Exception {
		send("publish " + count + " " + perSecond + " " + maxMillis);
		String reply = this.replies.poll(maxMillis + 30_000, TimeUnit.MILLISECONDS);
		if (reply == null) {
			return null;
		}
		String[] parts = expect(reply, "PUBLISHED").split(" ");
		return new long[] { Long.parseLong(parts[1]), Long.parseLong(parts[2]) };
	}

	long cpuNanos() throws Exception {
		send("cpu");
		return Long.parseLong(await("CPU", 30).split(" ")[1]);
	}

	/**
	 * The server's garbage collection pauses since the last call.
	 * @return the pauses, their total and the longest
	 */
	GcPauses gcPauses() throws Exception {
		send("gc");
		String[] parts = await("GC", 30).split(" ");
		return new GcPauses(Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]));
	}

	int connections() throws Exception {
		send("connections");
		return Integer.parseInt(await("CONNECTIONS", 30).split(" ")[1]);
	}

	/**
	 * The server's largest classes on the heap after a full GC.
	 * @return bytes and instances by class name
	 */
	java.util.Map<String, long[]> histogram() throws Exception {
		send("histogram");
		java.util.Map<String, long[]> classes = new java.util.HashMap<>();
		for (;;) {
			String reply = this.replies.poll(60, TimeUnit.SECONDS);
			if (reply == null) {
				throw new IllegalStateException("The server did not answer HISTOGRAM within 60 s");
			}
			if (reply.equals("HISTOGRAM")) {
				return classes;
			}
			String[] parts = expect(reply, "CLASS").split(" ");
			classes.put(parts[3], new long[] { Long.parseLong(parts[1]), Long.parseLong(parts[2]) });
		}
	}

	/** Heap after GC, resident set, CPU, connections, drops, catch-ups and resets, as the server sees them. */
	Stats stats() throws Exception {
		send("stats");
		String[] parts = await("STATS", 60).split(" ");
		return new Stats(Long.parseLong(parts[1]), Long.parseLong(parts[2]) * 1024, Long.parseLong(parts[3]),
				Integer.parseInt(parts[4]), Long.parseLong(parts[5]), Long.parseLong(parts[6]), Long.parseLong(parts[7]));
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	private void send(String command) throws IOException {
		this.commands.write(command + "\n");
		this.commands.flush();
	}

	private String await(String kind, int seconds) throws Exception {
		String reply = this.replies.poll(seconds, TimeUnit.SECONDS);
		if (reply == null) {
			throw new IllegalStateException("The server did not answer " + kind + " within " + seconds + " s"
					+ (this.process.isAlive() ? "" : " (it exited with " + this.process.exitValue() + ")"));
		}
		return expect(reply, kind);
	}

	private static String expect(String reply, String kind) {
		if (!reply.startsWith(kind)) {
			throw new IllegalStateException("Expected " + kind + " but the server said: " + reply);
		}
		return reply;
	}

	@Override
	public void close() throws Exception {
		if (this.process.isAlive()) {
			try {
				send("quit");
			}
			catch (IOException ex) {
				// already gone
			}
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor();
			}
		}
	}

	/** Garbage collection pauses over a measurement. */
	record GcPauses(long count, long totalMillis, long longestMillis) {
	}

	record Stats(long heapBytes, long rssBytes, long cpuNanos, int connections, long dropped, long catchUps,
			long resets) {
	}

}
