package io.github.ssestarter.engine;

import java.util.List;

/**
 * Told when a stream opens and when it starts closing. Called on the threads that open and
 * close streams (container threads, writers, the maintenance thread), so it must return at
 * once: hand the work to a thread of its own.
 * <p>
 * Every stream that {@link #opened opens} is {@link #closed closed} once, but the two calls
 * may race: a stream closed by another thread while it was opening may be reported closed
 * before it is reported open.
 *
 * @since 0.3.0
 */
public interface SseStreamListener {

	/** A listener that does nothing. */
	SseStreamListener NONE = new SseStreamListener() {

		@Override
		public void opened(SseConnection connection) {
		}

		@Override
		public void closed(SseConnection connection, CloseReason reason) {
		}

	};

	/**
	 * One listener that tells each of the given ones, in order.
	 * @param listeners the listeners
	 * @return the listener
	 */
	static SseStreamListener all(List<SseStreamListener> listeners) {
		List<SseStreamListener> all = List.copyOf(listeners);
		return new SseStreamListener() {

			@Override
			public void opened(SseConnection connection) {
				for (SseStreamListener listener : all) {
					listener.opened(connection);
				}
			}

			@Override
			public void closed(SseConnection connection, CloseReason reason) {
				for (SseStreamListener listener : all) {
					listener.closed(connection, reason);
				}
			}

		};
	}

	/**
	 * A stream was registered and receives events from now on.
	 * @param connection the stream
	 */
	void opened(SseConnection connection);

	/**
	 * A stream stopped receiving events.
	 * @param connection the stream
	 * @param reason why
	 */
	void closed(SseConnection connection, CloseReason reason);

}
