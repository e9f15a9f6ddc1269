package io.github.ssestarter.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.github.ssestarter.test.SseReceivedEvent;

/**
 * The delivery invariant, checked per client: what it received equals what was published
 * to its topics after it joined, in id order, once each — except right after an
 * {@code sse.reset}, which may skip ahead to the position its id names (and, for a
 * {@code lagged} reset, must come right after the last event the client received).
 * <p>
 * Publishers record every publish with the id it returned ({@link #published}); ids are
 * {@code <generation>-<sequence>}, so concurrent publishers need not record in order.
 * Generations are ordered as they are first seen (a store that loses its data starts a new
 * one; an id of the new one comes after every id of the old).
 */
public final class DeliveryCheck {

	private static final Pattern LAST_EVENT_ID = Pattern.compile("\"lastEventId\":\"([^\"]*)\"");

	private static final Pattern REASON = Pattern.compile("\"reason\":\"([^\"]*)\"");

	private static final Pattern MISSED = Pattern.compile("\"missed\":(\\d+)");

	/** Position ({@link #order}) to topics; an empty set is a broadcast. */
	private final NavigableMap<Long, Set<String>> published = new ConcurrentSkipListMap<>();

	/** Generations in the order they were first seen. */
	private final Map<String, Long> generations = new java.util.concurrent.ConcurrentHashMap<>();

	/** One received event: its id, its type ({@code message} when unnamed) and its data. */
	public record Received(@Nullable String id, String type, String data) {
	}

	/**
	 * What one client's stream amounted to.
	 *
	 * @param events events received
	 * @param resets reset notices received, by reason
	 * @param position the sequence of the last event received or skipped by a reset
	 */
	public record Outcome(int events, Map<String, Integer> resets, long position) {

		public int resets(String reason) {
			return this.resets.getOrDefault(reason, 0);
		}

		public int totalResets() {
			return this.resets.values().stream().mapToInt(Integer::intValue).sum();
		}

	}

	public void published(String id, Set<String> topics) {
		this.published.put(order(id), Set.copyOf(topics));
	}

	public void broadcast(String id) {
		this.published.put(order(id), Set.of());
	}

	/**
	 * Where an id stands among all ids: its generation's rank, then its sequence. The first
	 * generation seen has rank 0, so its positions are its sequences.
	 */
	public long order(String id) {
		String generation = id.substring(0, Math.max(0, id.lastIndexOf('-')));
		long rank;
		synchronized (this.generations) {
			rank = this.generations.computeIfAbsent(generation, (key) -> (long) this.generations.size());
		}
		return (rank << 40) | sequence(id);
	}

	public int publishedCount() {
		return this.published.size();
	}

	/** An order as a reader wants it: the generation's rank, then the sequence. */
	public static String describe(long order) {
		return (order >>> 40) + ":" + (order & ((1L << 40) - 1));
	}

	public static long sequence(String id) {
		return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
	}

	/** Blocks written by the server (as a {@link RecordingTransport} records them). */
	public static List<Received> fromBlocks(List<SseWire.Block> blocks) {
		List<Received> received = new ArrayList<>();
		for (SseWire.Block block : blocks) {
			if (block.isEvent()) {
				received.add(new Received(block.id(), (block.event() != null) ? block.event() : "message", block.data()));
			}
		}
		return received;
	}

	/** Events as an independent SSE client parsed them. */
	public static List<Received> fromClient(List<SseReceivedEvent> events) {
		return events.stream().map((event) -> new Received(event.id(), event.name(), event.data())).toList();
	}

	/**
	 * Check one client's stream, which starts with {@code sse.connected} (its id is where
	 * the stream joined), or at {@code start} if given.
	 * @param label names the client in failure messages
	 * @param topics the client's topics
	 * @param start the sequence the client starts after, or {@code null} to take it from
	 * {@code sse.connected}
	 * @param received what it received, in order (several streams of a reconnecting
	 * client joined)
	 * @return what the stream amounted to
	 */
	public Outcome verify(String label, Set<String> topics, @Nullable Long start, List<Received> received) {
		Long position = start;
		@Nullable String lastReceived = null;
		int events = 0;
		Map<String, Integer> resets = new java.util.TreeMap<>();
		for (Received event : received) {
			if ("sse.connected".equals(event.type())) {
				if (position == null) {
					position = order(event.id());
				}
				continue;
			}
			if (position == null) {
				throw new AssertionError(label + ": an event before sse.connected: " + event);
			}
			if ("sse.reset".equals(event.type())) {
				String reason = match(REASON, event.data());
				resets.merge(reason, 1, Integer::sum);
				if (event.id().isEmpty()) {
					throw new AssertionError(label + ": a reset without the id to resume from: " + event);
				}
				String lastEventId = match(LAST_EVENT_ID, event.data());
				if ("lagged".equals(reason) && lastReceived != null && !lastReceived.equals(lastEventId)) {
					throw new AssertionError(label + ": a lagged reset after " + lastReceived
							+ " says the last event delivered was " + lastEventId);
				}
				long resumeAt = order(event.id());
				if (resumeAt < position) {
					throw new AssertionError(label + ": a reset that goes back from " + position + " to " + resumeAt);
				}
				String missed = match(MISSED, event.data());
				if (missed != null && Long.parseLong(missed) != countFor(topics, position, resumeAt)) {
					throw new AssertionError(label + ": a notice of " + missed + " missed events after " + position
							+ " where " + countFor(topics, position, resumeAt) + " were skipped up to " + resumeAt);
				}
				position = resumeAt;
				continue;
			}
			if (event.type().startsWith("sse.")) {
				continue;
			}
			if (event.id().isEmpty()) {
				throw new AssertionError(label + ": an event without an id: " + event);
			}
			long sequence = order(event.id());
			Long expected = nextFor(topics, position);
			if (expected == null || sequence != expected) {
				throw new AssertionError(label + ": after " + describe(position) + " expected "
						+ ((expected != null) ? describe(expected) : "nothing") + " but received " + event.id()
						+ ((expected != null && sequence > expected) ? " (a silent gap)" : " (a duplicate or out of order)"));
			}
			position = sequence;
			lastReceived = event.id();
			events++;
		}
		return new Outcome(events, resets, (position != null) ? position : -1);
	}

	/**
	 * {@link #verify} and also require the stream to have reached the last event published
	 * to its topics.
	 */
	public Outcome verifyComplete(String label, Set<String> topics, @Nullable Long start, List<Received> received) {
		Outcome outcome = verify(label, topics, start, received);
		Long missing = nextFor(topics, outcome.position());
		if (missing != null) {
			throw new AssertionError(label + ": stopped at " + outcome.position() + "; " + missing
					+ " and later were never received");
		}
		return outcome;
	}

	/** The sequence of the first event after {@code position} meant for the topics. */
	public @Nullable Long nextFor(Set<String> topics, long position) {
		for (Map.Entry<Long, Set<String>> entry : this.published.tailMap(position, false).entrySet()) {
			if (entry.getValue().isEmpty() || entry.getValue().stream().anyMatch(topics::contains)) {
				return entry.getKey();
			}
		}
		return null;
	}

	private long countFor(Set<String> topics, long after, long upTo) {
		long count = 0;
		Long next = after;
		while ((next = nextFor(topics, next)) != null && next <= upTo) {
			count++;
		}
		return count;
	}

	private static @Nullable String match(Pattern pattern, String data) {
		Matcher matcher = pattern.matcher(data);
		return matcher.find() ? matcher.group(1) : null;
	}

}
