package io.github.ssestarter.web;

import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.ssestarter.engine.SseEngine;

/**
 * Ends the streams opened in an HTTP session when the session ends (logout, expiry,
 * invalidation), so no stream outlives the login that opened it. Spring Boot registers it
 * with the servlet container; with Spring Session, Spring Session calls it for its own
 * sessions on every node that hears of their end.
 *
 * @since 0.3.0
 */
public class SseSessionEndListener implements HttpSessionListener {

	private static final Log logger = LogFactory.getLog(SseSessionEndListener.class);

	private final SseEngine engine;

	/**
	 * Create the listener.
	 * @param engine the engine whose streams end
	 */
	public SseSessionEndListener(SseEngine engine) {
		this.engine = engine;
	}

	@Override
	public void sessionDestroyed(HttpSessionEvent event) {
		String sessionId = event.getSession().getId();
		int ended = this.engine.endSession(sessionId);
		if (ended > 0 && logger.isDebugEnabled()) {
			logger.debug("Ended " + ended + " SSE stream(s) of HTTP session " + sessionId);
		}
	}

}
