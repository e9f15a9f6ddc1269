package io.github.ssestarter.web;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.github.ssestarter.SseEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** What Spring's event builder builds, back as the event it describes. */
class SseEmitterEventsTest {

	@Test
	void aNamedEventWithAnObjectKeepsTheObjectForTheEncoder() {
		Map<String, Integer> data = Map.of("orderId", 42);
		SseEvent event = SseEmitterEvents.toEvent(SseEmitter.event().name("order.shipped").data(data).build());
		assertThat(event.name()).isEqualTo("order.shipped");
		assertThat(event.data()).isSameAs(data);
		assertThat(event.retry()).isNull();
	}

	@Test
	void multiLineTextRetryAndCommentsAreReadAsTheyWouldBeSent() {
		SseEvent event = SseEmitterEvents.toEvent(SseEmitter.event()
			.comment("ignored")
			.reconnectTime(2500)
			.data("first line\nsecond line")
			.data("third line")
			.build());
		assertThat(event.name()).isNull();
		assertThat(event.data()).isEqualTo("first line\nsecond line\nthird line");
		assertThat(event.retry()).isEqualTo(Duration.ofMillis(2500));
	}

	@Test
	void anEventWithoutDataIsNoEventAsForABrowser() {
		assertThat(SseEmitterEvents.toEvent(SseEmitter.event().name("ping").build())).isNull();
		assertThat(SseEmitterEvents.toEvent(SseEmitter.event().comment("keep-alive").reconnectTime(10).build())).isNull();
		assertThat(SseEmitterEvents.toEvent(SseEmitter.event().name("empty").data("").build()).data()).isEqualTo("");
	}

	@Test
	void anIdOrDataMixingAnObjectWithTextIsRefusedWithWhatToDoInstead() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SseEmitterEvents.toEvent(SseEmitter.event().id("7").data("x").build()))
			.withMessageContaining("send the event without id(..)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SseEmitterEvents.toEvent(SseEmitter.event().data(Map.of()).data("text").build()))
			.withMessageContaining("send them as separate events");
	}

}
