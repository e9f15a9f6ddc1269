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
			Idle idle, List<String> notes) {
	}

	/**
	 * Publishing as fast as the clients take it: the delivery rate at the clients, the
	 * server CPU spent per delivery, and the load client's (to show it was not the limit).
	 */
	record FanOut(int clients, long published, long delivered, Double deliveriesPerSecond,
			Double cpuMicrosPerDelivery, Double clientCpuMicrosPerDelivery, Long dropped) {
	}

	/** A fixed publish rate: publish-to-receive latency and whether every event arrived. */
	record Latency(int clients, int targetRate, Double achievedRate, long expected, long delivered, Double p50Millis,
			Double p99Millis, Double p999Millis, Double maxMillis) {
	}

	/**
	 * The fast clients' delivery rate and p99 at full speed, alone and with stalled clients
	 * beside them, and the heap the stalled clients' backlog retains.
	 */
	record SlowClients(int fastClients, int stalledClients, Double baselineRatePerClient, Double stalledRatePerClient,
			Double rateRatio, Double baselineP99Millis, Double stalledP99Millis, Double retainedHeapMb,
			Double unboundedBacklogMb) {
	}

	/** Memory per idle connection (heap after GC and resident set), from zero to the count opened. */
	record Idle(int requested, int opened, Double heapKbPerConnection, Double rssKbPerConnection) {
	}

}
