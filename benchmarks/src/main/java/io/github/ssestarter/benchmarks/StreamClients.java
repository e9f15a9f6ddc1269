package io.github.ssestarter.benchmarks;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SSE clients that count the events of one run and record each one's publish-to-receive
 * latency; the publish time ({@link System#nanoTime()}, same JVM) travels in the data.
 */
final class StreamClients implements AutoCloseable {

	private final List<BufferedReader> streams = new ArrayList<>();

	private final List<Thread> readers = new ArrayList<>();

	private final long[] latencies;

	private final AtomicLong received = new AtomicLong();

	private final CountDownLatch done;

	private final long expectedPerClient;

	StreamClients(int clients, long eventsPerClient) {
		this.latencies = new long[(int) Math.min(Integer.MAX_VALUE - 8, clients * eventsPerClient)];
		this.done = new CountDownLatch(clients);
		this.expectedPerClient = eventsPerClient;
	}

	void connect(HttpClient http, String url, int clients) throws Exception {
		for (int i = 0; i < clients; i++) {
			HttpResponse<InputStream> response = http
				.sendAsync(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").build(),
						HttpResponse.BodyHandlers.ofInputStream())
				.get(10, TimeUnit.SECONDS);
			BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
			String line;
			while ((line = lines.readLine()) != null && !line.startsWith("event: sse.connected")) {
				// skip the opening comment and retry hint
			}
			this.streams.add(lines);
		}
		for (BufferedReader lines : this.streams) {
			Thread reader = new Thread(() -> read(lines), "bench-client");
			reader.setDaemon(true);
			reader.start();
			this.readers.add(reader);
		}
	}

	private void read(BufferedReader lines) {
		long count = 0;
		try {
			String line;
			while (count < this.expectedPerClient && (line = lines.readLine()) != null) {
				if (line.startsWith("data: ") && !line.startsWith("data: {")) {
					long sent = Long.parseLong(line.substring(6, line.indexOf(':', 6)));
					long index = this.received.getAndIncrement();
					if (index < this.latencies.length) {
						this.latencies[(int) index] = System.nanoTime() - sent;
					}
					count++;
				}
			}
		}
		catch (Exception ex) {
			// the run ends the stream
		}
		this.done.countDown();
	}

	boolean await(long timeout, TimeUnit unit) throws InterruptedException {
		return this.done.await(timeout, unit);
	}

	long received() {
		return this.received.get();
	}

	/** Latency percentile in milliseconds over the events received. */
	double percentileMillis(double percentile) {
		int count = (int) Math.min(this.received.get(), this.latencies.length);
		if (count == 0) {
			return Double.NaN;
		}
		long[] sorted = Arrays.copyOf(this.latencies, count);
		Arrays.sort(sorted);
		return sorted[(int) Math.min(count - 1, Math.ceil(percentile / 100 * count) - 1)] / 1e6;
	}

	@Override
	public void close() throws Exception {
		for (BufferedReader stream : this.streams) {
			stream.close();
		}
	}

}
