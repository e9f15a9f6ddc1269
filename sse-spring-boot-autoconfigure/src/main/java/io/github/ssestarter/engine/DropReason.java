package io.github.ssestarter.engine;

/**
 * Why an event meant for a client never reached it; used as the {@code reason} tag of
 * dropped-event counts.
 *
 * @since 0.1.0
 */
public enum DropReason {

	/** The client's queue was full (by events or bytes) and the overflow policy discarded it. */
	QUEUE_FULL("queue_full"),

	/** The stream closed (client gone, slow, evicted, shutdown) while the event was still queued. */
	DISCONNECTED("disconnected");

	private final String tagValue;

	DropReason(String tagValue) {
		this.tagValue = tagValue;
	}

	/**
	 * The tag value.
	 * @return the value
	 */
	public String tagValue() {
		return this.tagValue;
	}

}
