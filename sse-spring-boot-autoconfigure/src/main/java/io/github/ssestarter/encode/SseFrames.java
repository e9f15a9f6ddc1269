package io.github.ssestarter.encode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.ssestarter.SseEvent;

/**
 * Protocol frames that are not published events: comments and reconnection hints.
 *
 * @since 0.1.0
 */
public final class SseFrames {

	private SseFrames() {
	}

	/**
	 * A comment block ({@code : text}), ignored by clients; used to open a stream and as a
	 * heartbeat.
	 * @param text the comment, without CR, LF or NUL
	 * @return the frame
	 */
	public static SseFrame comment(String text) {
		SseEvent.requireFieldValue("comment", text, 200);
		return SseFrame.control((": " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * A block carrying only a reconnection delay ({@code retry: millis}).
	 * @param retry the delay the client waits before reconnecting
	 * @return the frame
	 */
	public static SseFrame retry(Duration retry) {
		return SseFrame.control(("retry: " + retry.toMillis() + "\n\n").getBytes(StandardCharsets.US_ASCII));
	}

}
