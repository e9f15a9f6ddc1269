package io.github.ssestarter.web;

import java.io.IOException;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpEntity;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;

import io.github.ssestarter.engine.SseConnection;
import io.github.ssestarter.security.SseSubscriber;

/**
 * Opens the {@link SseStream} a controller method returns, in place of Spring MVC's
 * handler for {@code SseEmitter} and {@code ResponseBodyEmitter} return values, which it
 * delegates every other value to. The method may declare {@code SseEmitter},
 * {@code ResponseBodyEmitter} or {@code SseStream}.
 */
final class SseStreamReturnValueHandler implements HandlerMethodReturnValueHandler {

	private final HandlerMethodReturnValueHandler delegate;

	private final Supplier<SseStreamOpener> opener;

	SseStreamReturnValueHandler(HandlerMethodReturnValueHandler delegate, Supplier<SseStreamOpener> opener) {
		this.delegate = delegate;
		this.opener = opener;
	}

	@Override
	public boolean supportsReturnType(MethodParameter returnType) {
		return SseStream.class.isAssignableFrom(returnType.getParameterType())
				|| this.delegate.supportsReturnType(returnType);
	}

	@Override
	public void handleReturnValue(@Nullable Object returnValue, MethodParameter returnType,
			ModelAndViewContainer container, NativeWebRequest webRequest) throws Exception {
		if (returnValue instanceof HttpEntity<?> entity && entity.getBody() instanceof SseStream stream) {
			stream.refused();
			throw new IllegalStateException("Return the SseStream itself, not wrapped in a ResponseEntity: "
					+ "the stream sets its own status and headers");
		}
		if (!(returnValue instanceof SseStream stream)) {
			this.delegate.handleReturnValue(returnValue, returnType, container, webRequest);
			return;
		}
		container.setRequestHandled(true);
		HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
		HttpServletResponse response = webRequest.getNativeResponse(HttpServletResponse.class);
		if (request == null || response == null) {
			throw new IllegalStateException("An SseStream needs a servlet request");
		}
		open(stream, request, response);
	}

	private void open(SseStream stream, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		SseStreamOpener opener = this.opener.get();
		SseConnection connection = null;
		try {
			String lastEventId = SseStreamRequest.parseLastEventId(request);
			if (lastEventId == null) {
				// What was published while the controller ran is read from the history.
				lastEventId = stream.startPosition();
			}
			SseSubscriber subscriber = opener.subscriber(request);
			SseRequestException refused = opener.refusal(subscriber, stream.topics(), true);
			if (refused != null) {
				throw refused;
			}
			connection = opener.open(request, response, subscriber, stream.topics(), lastEventId);
		}
		finally {
			if (connection != null) {
				stream.opened(opener.engine(), connection);
			}
			else {
				stream.refused();
			}
		}
	}

}
