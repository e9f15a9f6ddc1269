package io.github.ssestarter.web;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitterReturnValueHandler;

/**
 * Lets controller methods return an {@link SseStream}: puts a handler in place of Spring
 * MVC's {@code SseEmitter}/{@code ResponseBodyEmitter} return value handler, at its
 * position, that opens an {@code SseStream} through the engine (as the built-in endpoint
 * does) and hands every other emitter to Spring MVC's handler as before.
 *
 * @since 0.3.0
 */
public final class SseStreamReturnValues implements BeanPostProcessor {

	private final ObjectProvider<SseStreamController> streams;

	/**
	 * Create the post-processor.
	 * @param streams the built-in stream endpoint, whose checks and settings controller
	 * streams share; looked up when the first stream opens
	 */
	public SseStreamReturnValues(ObjectProvider<SseStreamController> streams) {
		this.streams = streams;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof RequestMappingHandlerAdapter adapter && adapter.getReturnValueHandlers() != null) {
			List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>();
			for (HandlerMethodReturnValueHandler handler : adapter.getReturnValueHandlers()) {
				handlers.add((handler instanceof ResponseBodyEmitterReturnValueHandler)
						? new SseStreamReturnValueHandler(handler, () -> this.streams.getObject().opener()) : handler);
			}
			adapter.setReturnValueHandlers(handlers);
		}
		return bean;
	}

}
