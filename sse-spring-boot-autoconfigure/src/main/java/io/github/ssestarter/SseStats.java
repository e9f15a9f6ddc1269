package io.github.ssestarter;

/**
 * A point-in-time snapshot of the SSE engine on this node.
 *
 * @param connections open streams
 * @param topics topics with at least one subscriber (per-client topics are not counted)
 * @param users distinct users with at least one open stream
 * @param published events published through this node since start
 * @param delivered events written to clients' sockets since start (replayed events excluded)
 * @param dropped events that were meant for a client but never reached it (discarded by a drop
 * policy, or queued when the stream closed)
 * @param replayed events written from the history to clients that resumed with {@code Last-Event-ID}
 * @param caughtUp events written from the history to streams that had fallen behind
 * @param resets {@code sse.reset} events sent, for any reason
 * @param pendingBytes bytes waiting in all connection queues right now
 * @since 0.1.0
 */
public record SseStats(int connections, int topics, int users, long published, long delivered, long dropped,
		long replayed, long caughtUp, long resets, long pendingBytes) {
}
