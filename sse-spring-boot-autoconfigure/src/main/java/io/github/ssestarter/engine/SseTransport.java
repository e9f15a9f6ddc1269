package io.github.ssestarter.engine;

import java.io.IOException;
import java.util.Arrays;

/**
 * Where a connection's bytes go: the HTTP response of one stream. The engine calls it from
 * one writer thread at a time per connection.
 * <p>
 * A transport either blocks in {@link #write} until the bytes are sent (the default), or
 * is <em>non-blocking</em>: it reports through {@link #isReady()} whether a write can be
 * taken now, and when it said no, calls {@link SseConnection#writePossible()} once it can.
 * A client that stops reading then holds no writer thread at all.
 *
 * @since 0.1.0
 */
public interface SseTransport {

	/**
	 * Write the bytes and flush them to the client. A non-blocking transport takes them
	 * without waiting (keeping what the socket cannot take yet) and then reports
	 * {@link #isReady()} {@code false} until it has sent them.
	 * @param bytes one or more complete SSE blocks
	 * @throws IOException if the client is gone
	 */
	void write(byte[] bytes) throws IOException;

	/**
	 * Write the first {@code length} bytes of the array as {@link #write(byte[])} does, and
	 * tell whether the transport is done with the array when this returns (it copied or
	 * sent the bytes), so that the engine may fill it again for the next write. The default
	 * passes a copy when only part of the array is written, and otherwise the array itself,
	 * which it then never reports free.
	 * @param bytes one or more complete SSE blocks, then bytes that are not part of the write
	 * @param length how many bytes to write
	 * @return {@code true} if the caller may reuse the array
	 * @throws IOException if the client is gone
	 * @since 0.3.0
	 */
	default boolean writeReusable(byte[] bytes, int length) throws IOException {
		if (length == bytes.length) {
			write(bytes);
			return false;
		}
		write(Arrays.copyOf(bytes, length));
		return true;
	}

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

	/**
	 * Called once, before any write, with the connection this transport serves: a
	 * non-blocking transport keeps it to call {@link SseConnection#writePossible()}.
	 * @param connection the connection
	 */
	default void attach(SseConnection connection) {
	}

	/**
	 * Whether a {@link #write} now would be taken without waiting, everything written
	 * before having been sent. When this returns {@code false}, the transport must call
	 * {@link SseConnection#writePossible()} once that changes. Blocking transports are
	 * always ready.
	 * @return {@code true} if the connection may write now
	 * @throws IOException if the client is gone
	 */
	default boolean isReady() throws IOException {
		return true;
	}

}
