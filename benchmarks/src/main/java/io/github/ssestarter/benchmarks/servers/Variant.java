package io.github.ssestarter.benchmarks.servers;

/**
 * One server implementation under test: it serves the stream at {@link #path()} and
 * publishes events to every connected client when told to.
 */
interface Variant {

	/** Start serving; returns the port. */
	int start() throws Exception;

	/** The path clients open. */
	default String path() {
		return "/stream";
	}

	/** Publish one event with this data to every client of the stream. */
	void publish(String data);

	/** Streams currently open, as the variant counts them (-1 if it cannot tell). */
	int connections();

	/** Events dropped for slow clients so far (-1 if the variant cannot tell). */
	long dropped();

	/** Times a stream fell behind and caught up from a history (-1 if the variant has no such thing). */
	default long catchUps() {
		return -1;
	}

	/** Notices telling clients that they missed events (-1 if the variant sends none). */
	default long resets() {
		return -1;
	}

}
