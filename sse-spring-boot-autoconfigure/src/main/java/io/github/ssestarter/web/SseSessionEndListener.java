package io.github.ssestarter.web;

import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.ssestarter.engine.SseEngine;

/**
 * Ends the streams opened in an HTTP session when the session ends (logout, expiry,
 * invalidation), so no stream outlives the login that opened it; and when the session's id
 * changes (a login in the same browser, which may be another user's: Spring Security's
 * session-fixation protection), so that the streams reconnect as whoever the session now
 * belongs to. Spring Boot registers it with the servlet container; with Spring Session,
 * Spring Session calls it for its own sessions' ends on the node that hears of them.
 *
 * @since 0.3.0
 */
public class SseSessionEndListener implements HttpSessionListener, HttpSessionIdListener {

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
	public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
		int ended = this.engine.sessionIdChanged(oldSessionId);
		if (ended > 0 && logger.isDebugEnabled()) {
			logger.debug("Ended " + ended + " SSE stream(s) of HTTP session " + oldSessionId + ", whose id changed");
		}
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
