package io.github.ssestarter.test;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.test.RecordingSseService.Publication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RecordingSseServiceTest {

	private final RecordingSseService sse = new RecordingSseService();

	@Test
	void recordsEachPublishWithItsTopicsInOrder() {
		this.sse.publish("order:42", SseEvent.of("order.shipped", Map.of("id", 42)));
		this.sse.sendToUser("alice", SseEvent.ofData("hello"));
		this.sse.broadcast(SseEvent.of("maintenance", "at noon"));
		assertThat(this.sse.published()).extracting(Publication::id).containsExactly("test-1", "test-2", "test-3");
		assertThat(this.sse.publishedTo("order:42")).extracting(Publication::name)
			.containsExactly("order.shipped", "maintenance");
		assertThat(this.sse.publishedTo("user:alice")).extracting(Publication::data).containsExactly("hello", "at noon");
		this.sse.clear();
		assertThat(this.sse.published()).isEmpty();
	}

	@Test
	void refusesWhatTheRealServiceRefuses() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.sse.publish("bad\ntopic", SseEvent.ofData("x")));
		assertThatIllegalArgumentException().isThrownBy(() -> this.sse.publish(List.of(), SseEvent.ofData("x")));
		assertThat(this.sse.published()).isEmpty();
	}

}
