package io.github.ssestarter.engine;

/**
 * What a heartbeat looks like on the wire.
 *
 * @since 0.1.0
 */
public enum HeartbeatMode {

	/** A comment line ({@code : heartbeat}), invisible to the page. */
	COMMENT,

	/** An event named {@code heartbeat} with {@code {"timestamp":<epoch millis>}}, visible to the page. */
	EVENT

}
