package io.github.ssestarter.engine;

/**
 * Per-connection queue limits and write batching, shared by every connection.
 *
 * @param maxQueuedEvents the most events a client may have waiting
 * @param maxQueuedBytes the most bytes a client may have waiting
 * @param overflowPolicy what happens to an event that does not fit
 * @param maxBatchBytes the most bytes one write gathers (a larger single frame is written alone)
 * @since 0.1.0
 */
public record SseConnectionSettings(int maxQueuedEvents, long maxQueuedBytes, OverflowPolicy overflowPolicy,
		int maxBatchBytes) {

	/** The largest event count the packed queue accounting can hold. */
	static final int EVENTS_LIMIT = (1 << 23) - 1;

	/** The largest byte count the packed queue accounting can hold. */
	static final long BYTES_LIMIT = (1L << 40) - 1;

	/**
	 * Validates the settings.
	 * @param maxQueuedEvents the most events a client may have waiting
	 * @param maxQueuedBytes the most bytes a client may have waiting
	 * @param overflowPolicy what happens to an event that does not fit
	 * @param maxBatchBytes the most bytes one write gathers
	 */
	public SseConnectionSettings {
		if (maxQueuedEvents < 1 || maxQueuedEvents > EVENTS_LIMIT) {
			throw new IllegalArgumentException("maxQueuedEvents must be between 1 and " + EVENTS_LIMIT);
		}
		if (maxQueuedBytes < 1 || maxQueuedBytes > BYTES_LIMIT) {
			throw new IllegalArgumentException("maxQueuedBytes must be between 1 and " + BYTES_LIMIT);
		}
		if (maxBatchBytes < 1) {
			throw new IllegalArgumentException("maxBatchBytes must be positive");
		}
	}

}
