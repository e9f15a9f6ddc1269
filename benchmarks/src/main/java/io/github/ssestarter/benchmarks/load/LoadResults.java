package io.github.ssestarter.benchmarks.load;

import java.util.List;

/**
 * What the load harness measured, per variant and scenario. A figure is {@code null} when
 * the scenario could not produce it; the notes say why.
 */
final class LoadResults {

	private LoadResults() {
	}

	/** The whole run. */
	record Run(String date, String machine, Settings settings, List<VariantResult> variants) {
	}

	/** The sizes every variant ran with. */
	record Settings(int clients, int idleConnections, int latencyRate, int latencySeconds, int stalledClients,
			int dataBytes, String serverHeap, boolean smoke) {
	}

	record VariantResult(String variant, String description, FanOut fanOut, Latency latency, SlowClients slowClients,
			SlowReaders slowReaders, Idle idle, List<String> notes) {
	}

	/**
	 * Publishing as fast as the clients take it: the delivery rate at the clients, the
	 * server CPU spent per delivery, and the load client's (to show it was not the limit).
	 */
	record FanOut(int clients, long published, long delivered, Double deliveriesPerSecond,
			Double cpuMicrosPerDelivery, Double clientCpuMicrosPerDelivery, Long dropped) {
	}

	/**
	 * A fixed publish rate: publish-to-receive latency, whether every event arrived, and the
	 * server's CPU per delivery at that rate.
	 */
	record Latency(int clients, int targetRate, Double achievedRate, long expected, long delivered, Double p50Millis,
			Double p99Millis, Double p999Millis, Double maxMillis, Double cpuMicrosPerDelivery, Long gcPauses,
			Long gcPauseMillis, Long gcLongestPauseMillis) {
	}

	/**
	 * The fast clients' delivery rate and p99 at full speed, alone and with stalled clients
	 * beside them, and the heap the stalled clients' backlog retains.
	 */
	record SlowClients(int fastClients, int stalledClients, Double baselineRatePerClient, Double stalledRatePerClient,
			Double rateRatio, Double baselineP99Millis, Double stalledP99Millis, Double retainedHeapMb,
			Double unboundedBacklogMb) {
	}

	/**
	 * Clients that read at about half the rate events are published, beside fast clients at
	 * full speed: the fast clients' rate against their rate alone, the heap held for the
	 * slow readers, and what the slow readers received — every event after the first, in
	 * order, except where an {@code sse.reset} announced a gap.
	 *
	 * @param slowBytesPerSecond what each slow reader took per second while the others ran at full speed: half
 * the bytes published
	 * @param published events published while the slow readers were connected
	 * @param slowEvents events the slow readers received, in all
	 * @param lostSilently events a slow reader skipped without an {@code sse.reset} before the next one
	 * @param outOfOrder events a slow reader received twice or after a later one
	 * @param resetsReceived {@code sse.reset} notices the slow readers received
	 * @param catchUps streams that fell behind and caught up from the history, as the server counts them
	 * (null when the variant has no history)
	 */
	record SlowReaders(int fastClients, int slowReaders, long slowBytesPerSecond, Double baselineRatePerClient,
			Double withSlowRatePerClient, Double rateRatio, Double baselineP99Millis, Double withSlowP99Millis,
			Double retainedHeapMb, long published, long slowEvents, long lostSilently, long outOfOrder,
			long resetsReceived, Long catchUps) {
	}

	/** Memory per idle connection (heap after GC and resident set), from zero to the count opened. */
	record Idle(int requested, int opened, Double heapKbPerConnection, Double rssKbPerConnection,
			List<HeapShare> breakdown) {
	}

	/**
	 * What one idle connection holds of one class, from the heap's class histogram before
	 * and after the connections were opened.
	 */
	record HeapShare(String className, double instancesPerConnection, double bytesPerConnection) {
	}

}
