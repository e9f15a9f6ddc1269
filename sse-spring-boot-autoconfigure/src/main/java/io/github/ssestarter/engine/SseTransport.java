package io.github.ssestarter.engine;

import java.io.IOException;

/**
 * Where a connection's bytes go: the HTTP response of one stream. The engine calls it from
 * one writer thread at a time per connection.
 *
 * @since 0.1.0
 */
public interface SseTransport {

	/**
	 * Write the bytes and flush them to the client.
	 * @param bytes one or more complete SSE blocks
	 * @throws IOException if the client is gone
	 */
	void write(byte[] bytes) throws IOException;

	/**
	 * End the response normally after the last write.
	 */
	void complete();

	/**
	 * Whether the end of the response is confirmed later through
	 * {@link SseConnection#transportClosed(CloseReason)} (a servlet container finishes an
	 * asynchronous request on its own thread). The engine then counts the stream as gone
	 * only once confirmed, so a graceful shutdown does not hand the web server requests
	 * that are still finishing.
	 * @return {@code true} if completion is confirmed asynchronously
	 */
	default boolean confirmsCompletion() {
		return false;
	}

}
