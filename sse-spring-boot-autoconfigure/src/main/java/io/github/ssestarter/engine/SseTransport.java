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

}
