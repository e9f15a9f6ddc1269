package io.github.ssestarter;

/**
 * A point-in-time snapshot of the SSE engine on this node.
 *
 * @param connections open streams
 * @param topics topics with at least one subscriber (per-client topics are not counted)
 * @param users distinct users with at least one open stream
 * @param published events published through this node since start
 * @param delivered events written to clients' sockets since start (replayed events excluded)
 * @param dropped events that were meant for a client but never reached it (full queue, closed stream)
 * @param replayed events written to reconnecting clients from the history
 * @param pendingBytes bytes waiting in all connection queues right now
 * @since 0.1.0
 */
public record SseStats(int connections, int topics, int users, long published, long delivered, long dropped,
		long replayed, long pendingBytes) {
}
