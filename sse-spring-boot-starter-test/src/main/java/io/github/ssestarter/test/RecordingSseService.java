package io.github.ssestarter.test;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SsePresence;
import io.github.ssestarter.SseService;
import io.github.ssestarter.SseStats;
import io.github.ssestarter.SseTopics;

/**
 * An {@link SseService} that records what is published instead of delivering it, for
 * unit and slice tests of the beans that publish: no engine, no socket. Topics are checked
 * as the real service checks them, so a publisher that would fail in production fails
 * here. No stream is ever open: {@code isUserOnline} is {@code false} and disconnecting
 * closes nothing.
 * <pre>{@code
 * RecordingSseService sse = new RecordingSseService();
 * new OrderService(sse).ship(42);
 * assertThat(sse.publishedTo("order:42")).extracting(Publication::name).containsExactly("order.shipped");
 * }</pre>
 * In a Spring test, declare it as a bean ({@code @Import(RecordingSseService.class)} or
 * a {@code @Bean} method); the starter then backs off and starts no engine.
 *
 * @since 0.3.0
 */
public class RecordingSseService implements SseService {

	private final List<Publication> publications = new CopyOnWriteArrayList<>();

	private final AtomicLong ids = new AtomicLong();

	/**
	 * Create a recorder with nothing recorded.
	 */
	public RecordingSseService() {
	}

	@Override
	public String publish(String topic, SseEvent event) {
		return publish(List.of(topic), event);
	}

	@Override
	public String publish(Collection<String> topics, SseEvent event) {
		if (topics.isEmpty()) {
			throw new IllegalArgumentException("An event needs at least one topic");
		}
		Set<String> checked = new LinkedHashSet<>();
		for (String topic : topics) {
			checked.add(SseTopics.requirePublishable(topic));
		}
		return record(checked, false, event);
	}

	@Override
	public String sendToUser(String userId, SseEvent event) {
		return publish(SseTopics.user(userId), event);
	}

	@Override
	public String sendToSession(String sessionId, SseEvent event) {
		return publish(SseTopics.session(sessionId), event);
	}

	@Override
	public String sendToClient(String clientId, SseEvent event) {
		return publish(SseTopics.client(clientId), event);
	}

	@Override
	public String broadcast(SseEvent event) {
		return record(Set.of(), true, event);
	}

	private String record(Set<String> topics, boolean broadcast, SseEvent event) {
		String id = "test-" + this.ids.incrementAndGet();
		this.publications.add(new Publication(id, Set.copyOf(topics), broadcast, event));
		return id;
	}

	/**
	 * The id of the last publication ({@code test-0} before the first).
	 * @return the id
	 */
	@Override
	public String position() {
		return "test-" + this.ids.get();
	}

	/**
	 * Nobody is subscribed: the recorder opens no streams.
	 * @param topic the topic
	 * @return an empty presence
	 */
	@Override
	public SsePresence presence(String topic) {
		SseTopics.requirePublishable(topic);
		return new SsePresence(topic, 0, Set.of(), true);
	}

	@Override
	public boolean isUserOnline(String userId) {
		return false;
	}

	@Override
	public int disconnectUser(String userId) {
		return 0;
	}

	@Override
	public boolean disconnectClient(String clientId) {
		return false;
	}

	@Override
	public SseStats stats() {
		return new SseStats(0, 0, 0, this.publications.size(), 0, 0, 0, 0, 0, 0);
	}

	/**
	 * Everything published so far, in order.
	 * @return the publications
	 */
	public List<Publication> published() {
		return List.copyOf(this.publications);
	}

	/**
	 * What reached a topic: events published to it, and broadcasts.
	 * @param topic the topic
	 * @return the publications, in order
	 */
	public List<Publication> publishedTo(String topic) {
		return this.publications.stream()
			.filter((publication) -> publication.broadcast() || publication.topics().contains(topic))
			.toList();
	}

	/** Forget what was published. */
	public void clear() {
		this.publications.clear();
	}

	/**
	 * One publish call.
	 *
	 * @param id the id it returned ({@code test-1}, {@code test-2}, ...)
	 * @param topics the topics ({@code user:alice} for {@code sendToUser("alice", ..)};
	 * empty for a broadcast)
	 * @param broadcast whether it went to everyone
	 * @param event the event as published
	 */
	public record Publication(String id, Set<String> topics, boolean broadcast, SseEvent event) {

		/**
		 * The event's name.
		 * @return the name, or {@code null} for an unnamed event
		 */
		public @Nullable String name() {
			return this.event.name();
		}

		/**
		 * The event's data, as given to the publisher.
		 * @return the data
		 */
		public @Nullable Object data() {
			return this.event.data();
		}

	}

}
