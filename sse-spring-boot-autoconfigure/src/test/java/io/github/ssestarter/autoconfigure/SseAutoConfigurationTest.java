package io.github.ssestarter.autoconfigure;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.FieldError;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;
import io.github.ssestarter.actuate.SseEndpoint;
import io.github.ssestarter.backplane.LocalSseBackplane;
import io.github.ssestarter.backplane.SseBackplane;
import io.github.ssestarter.encode.EncodedEvent;
import io.github.ssestarter.encode.SseEventEncoder;
import io.github.ssestarter.engine.OverflowPolicy;
import io.github.ssestarter.engine.SseEngine;
import io.github.ssestarter.engine.SseLifecycle;
import io.github.ssestarter.engine.SseWriterExecutor;
import io.github.ssestarter.health.SseHealthIndicator;
import io.github.ssestarter.metrics.SseMetrics;
import io.github.ssestarter.metrics.SseStreamObservationPredicate;
import io.github.ssestarter.store.InMemorySseEventStore;
import io.github.ssestarter.store.SseEventStore;
import io.github.ssestarter.web.SseExceptionHandler;
import io.github.ssestarter.web.SsePublishController;
import io.github.ssestarter.web.SseStreamController;

import static org.assertj.core.api.Assertions.assertThat;

class SseAutoConfigurationTest {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(JacksonAutoConfiguration.class, SseAutoConfiguration.class,
					SseWebAutoConfiguration.class, SseMetricsAutoConfiguration.class, SseHealthAutoConfiguration.class,
					SseEndpointAutoConfiguration.class));

	@Test
	void registeredInTheImportsFile() {
		assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).getCandidates())
			.contains(SseAutoConfiguration.class.getName(), SseWebAutoConfiguration.class.getName(),
					SseMetricsAutoConfiguration.class.getName(), SseHealthAutoConfiguration.class.getName(),
					SseEndpointAutoConfiguration.class.getName());
	}

	@Test
	void defaults() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(SseService.class)
				.hasSingleBean(SseEngine.class)
				.hasSingleBean(SseLifecycle.class)
				.hasSingleBean(SseStreamController.class)
				.hasSingleBean(SseExceptionHandler.class)
				.doesNotHaveBean(SsePublishController.class);
			assertThat(context.getBean(SseEventStore.class)).isInstanceOf(InMemorySseEventStore.class);
			assertThat(context.getBean(SseBackplane.class)).isInstanceOf(LocalSseBackplane.class);
			SseWriterExecutor writer = context.getBean(SseWriterExecutor.class);
			assertThat(writer.isVirtual()).isFalse();
			assertThat(writer.poolSize()).isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
			SseProperties properties = context.getBean(SseProperties.class);
			assertThat(properties.getHeartbeat().getInterval()).isEqualTo(Duration.ofSeconds(15));
			assertThat(properties.getBuffer().getOverflowPolicy()).isEqualTo(OverflowPolicy.CATCH_UP);
		});
	}

	@Test
	void actuatorPiecesAreThereWhenTheirLibrariesAre() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(SseMetrics.class)
			.hasSingleBean(SseStreamObservationPredicate.class)
			.hasSingleBean(SseHealthIndicator.class)
			.doesNotHaveBean(SseEndpoint.class)); // not exposed
	}

	@Test
	void theEndpointExistsOnlyWhenExposed() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=sse")
			.run((context) -> assertThat(context).hasSingleBean(SseEndpoint.class));
	}

	@Test
	void healthIndicatorCanBeTurnedOff() {
		this.runner.withPropertyValues("management.health.sse.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SseHealthIndicator.class));
	}

	@Test
	void withoutMicrometerOrActuatorTheEngineStillWorks() {
		this.runner
			.withClassLoader(new FilteredClassLoader("io.micrometer", "org.springframework.boot.health",
					"org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).hasSingleBean(SseService.class)
				.doesNotHaveBean(SseMetrics.class)
				.doesNotHaveBean(SseHealthIndicator.class));
	}

	@Test
	void publishEndpointIsOptIn() {
		this.runner.withPropertyValues("sse.web.publish.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(SsePublishController.class));
	}

	@Test
	void disabledByProperty() {
		this.runner.withPropertyValues("sse.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SseService.class)
				.doesNotHaveBean(SseStreamController.class));
	}

	@Test
	void notInANonWebApplication() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SseService.class));
	}

	@Test
	void notWithoutSpringMvc() {
		this.runner.withClassLoader(new FilteredClassLoader(SseEmitter.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SseService.class));
	}

	@Test
	void userBeansBackOff() {
		this.runner.withUserConfiguration(CustomBeans.class).run((context) -> {
			assertThat(context.getBean(SseEventEncoder.class)).isSameAs(CustomBeans.ENCODER);
			assertThat(context.getBean(SseEventStore.class)).isSameAs(CustomBeans.STORE);
			assertThat(context.getBean(SseBackplane.class)).isInstanceOf(LocalSseBackplane.class);
			assertThat(context).hasSingleBean(SseEngine.class);
		});
	}

	@Test
	void theDefaultHistoryKeepsNoMoreThanItsByteCapOfTheLargestEvents() {
		this.runner.run((context) -> {
			SseService sse = context.getBean(SseService.class);
			InMemorySseEventStore store = (InMemorySseEventStore) context.getBean(SseEventStore.class);
			String nearlyOneMegabyte = "x".repeat(1_000_000);
			for (int i = 0; i < 200; i++) {
				sse.publish("big", SseEvent.ofData(nearlyOneMegabyte));
			}
			// 1,000 events of up to sse.max-event-size (1 MB) would be 1 GB; sse.replay.max-bytes holds it to 64 MB.
			assertThat(store.retainedBytes()).isLessThanOrEqualTo(DataSize.ofMegabytes(64).toBytes())
				.isGreaterThan(DataSize.ofMegabytes(60).toBytes());
			assertThat(store.retainedEvents()).isEqualTo(67);
		});
	}

	@Test
	void propertiesBind() {
		this.runner
			.withPropertyValues("sse.heartbeat.interval=30", "sse.buffer.max-bytes=256", "sse.buffer.max-events=10",
					"sse.buffer.overflow-policy=drop-newest", "sse.max-event-size=128KB", "sse.connection.retry=1500",
					"sse.writer.threads=3", "sse.connection.max-lifetime=5m", "sse.replay.max-bytes=16MB")
			.run((context) -> {
				SseProperties properties = context.getBean(SseProperties.class);
				assertThat(properties.getHeartbeat().getInterval()).isEqualTo(Duration.ofSeconds(30));
				assertThat(properties.getBuffer().getMaxBytes().toKilobytes()).isEqualTo(256);
				assertThat(properties.getBuffer().getOverflowPolicy()).isEqualTo(OverflowPolicy.DROP_NEWEST);
				assertThat(properties.getReplay().getMaxBytes()).isEqualTo(DataSize.ofMegabytes(16));
				assertThat(properties.getConnection().getRetry()).isEqualTo(Duration.ofMillis(1500));
				assertThat(context.getBean(SseWriterExecutor.class).poolSize()).isEqualTo(3);
			});
	}

	@Test
	void invalidValuesFailAtStartupNamingTheProperty() {
		List<String[]> cases = List.of(new String[] { "sse.buffer.max-events=0", "sse.buffer.max-events" },
				new String[] { "sse.buffer.max-bytes=0", "sse.buffer.max-bytes" },
				new String[] { "sse.max-event-size=4MB", "sse.max-event-size" },
				new String[] { "sse.write-timeout=0", "sse.write-timeout" },
				new String[] { "sse.heartbeat.interval=0", "sse.heartbeat.interval" },
				new String[] { "sse.connection.max-lifetime=0", "sse.connection.max-lifetime" },
				new String[] { "sse.connection.lifetime-jitter=0.9", "sse.connection.lifetime-jitter" },
				new String[] { "sse.connection.retry=-1", "sse.connection.retry" },
				new String[] { "sse.web.path=api/sse", "sse.web.path" },
				new String[] { "sse.web.path=/api/{x}", "sse.web.path" },
				new String[] { "sse.web.max-topics=0", "sse.web.max-topics" },
				new String[] { "sse.writer.threads=0", "sse.writer.threads" },
				new String[] { "sse.writer.max-threads=1", "sse.writer.max-threads" },
				new String[] { "sse.writer.max-batch-size=10B", "sse.writer.max-batch-size" },
				new String[] { "sse.replay.max-events=-5", "sse.replay.max-events" },
				new String[] { "sse.replay.max-age=0", "sse.replay.max-age" },
				new String[] { "sse.replay.max-bytes=512KB", "sse.replay.max-bytes" },
				new String[] { "sse.shutdown.timeout=-1", "sse.shutdown.timeout" },
				new String[] { "sse.buffer.overflow-policy=sometimes", "sse.buffer.overflow-policy" });
		for (String[] testCase : cases) {
			this.runner.withPropertyValues(testCase[0]).run((context) -> {
				assertThat(context).as(testCase[0]).hasFailed();
				assertThat(causes(context.getStartupFailure())).as(testCase[0]).contains(testCase[1]);
			});
		}
	}

	@Test
	void rejectedValuesAreReportedAsWrittenUnderTheirPropertyNames() {
		this.runner.withPropertyValues("sse.max-event-size=3MB", "sse.buffer.max-bytes=2MB", "sse.heartbeat.interval=50ms")
			.run((context) -> {
				assertThat(context).hasFailed();
				BindValidationException failure = findCause(context.getStartupFailure(), BindValidationException.class);
				List<FieldError> errors = failure.getValidationErrors()
					.getAllErrors()
					.stream()
					.map(FieldError.class::cast)
					.toList();
				assertThat(errors).extracting((error) -> error.getObjectName() + "." + error.getField())
					.containsExactlyInAnyOrder("sse.max-event-size", "sse.heartbeat.interval");
				assertThat(errors).extracting(FieldError::getRejectedValue).containsExactlyInAnyOrder("3MB", "50ms");
				assertThat(errors).allSatisfy((error) -> assertThat(Origin.from(error)).isNotNull());
				assertThat(errors).extracting(FieldError::getDefaultMessage)
					.contains("sse.max-event-size (3MB) must not exceed sse.buffer.max-bytes (2MB): an event that "
							+ "large could never be queued for a client")
					.contains("sse.heartbeat.interval must be at least 100ms (was 50ms)");
			});
	}

	private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		throw new AssertionError("No " + type.getSimpleName() + " in " + failure);
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void virtualThreadsOnAnOldJvmFailNamingTheProperty() {
		this.runner.withPropertyValues("sse.writer.virtual-threads=true").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(causes(context.getStartupFailure())).contains("sse.writer.virtual-threads")
				.contains("Java 21");
		});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void virtualThreadsFollowSpringThreadsVirtualEnabledOrTheSseProperty() {
		this.runner.withPropertyValues("spring.threads.virtual.enabled=true")
			.run((context) -> assertThat(context.getBean(SseWriterExecutor.class).isVirtual()).isTrue());
		this.runner.withPropertyValues("spring.threads.virtual.enabled=true", "sse.writer.virtual-threads=false")
			.run((context) -> assertThat(context.getBean(SseWriterExecutor.class).isVirtual()).isFalse());
		this.runner.withPropertyValues("sse.writer.virtual-threads=true")
			.run((context) -> assertThat(context.getBean(SseWriterExecutor.class).isVirtual()).isTrue());
	}

	private static String causes(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomBeans {

		static final SseEventEncoder ENCODER = (event) -> new EncodedEvent("data: custom\n\n".getBytes());

		static final SseEventStore STORE = new InMemorySseEventStore(5, Long.MAX_VALUE, Duration.ofMinutes(1),
				java.time.Clock.systemUTC());

		@Bean
		SseEventEncoder customEncoder() {
			return ENCODER;
		}

		@Bean
		SseEventStore customStore() {
			return STORE;
		}

	}

}
