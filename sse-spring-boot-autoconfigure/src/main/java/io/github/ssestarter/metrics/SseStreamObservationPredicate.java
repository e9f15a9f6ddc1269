package io.github.ssestarter.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Keeps stream requests out of {@code http.server.requests}: a stream's observation would
 * only end when the stream does, recording its whole lifetime as one "request" and hiding
 * it while it is open. The engine's own meters describe streams instead. Publishing over
 * HTTP is still observed.
 *
 * @since 0.1.0
 */
public class SseStreamObservationPredicate implements ObservationPredicate {

	private final String streamPath;

	/**
	 * Create the predicate.
	 * @param streamPath the stream endpoint's path ({@code sse.web.path})
	 */
	public SseStreamObservationPredicate(String streamPath) {
		this.streamPath = streamPath;
	}

	@Override
	public boolean test(String name, Observation.Context context) {
		if (context instanceof ServerRequestObservationContext serverContext) {
			HttpServletRequest request = serverContext.getCarrier();
			return request == null || !"GET".equals(request.getMethod())
					|| !request.getRequestURI().equals(request.getContextPath() + this.streamPath);
		}
		return true;
	}

}
