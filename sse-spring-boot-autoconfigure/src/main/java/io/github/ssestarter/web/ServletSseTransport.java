package io.github.ssestarter.web;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import io.github.ssestarter.engine.CloseReason;
import io.github.ssestarter.engine.SseConnection;
import io.github.ssestarter.engine.SseTransport;

/**
 * A stream written straight to the servlet response with non-blocking I/O (Servlet
 * {@link WriteListener}): a write never waits for the client, so a client that stops
 * reading holds no thread; the container calls back when its socket drains. The
 * pre-encoded bytes go to the output stream as they are, with no message conversion.
 * <p>
 * The connection is opened before the response goes asynchronous (the engine may still
 * refuse it, or the per-user limit may turn it into a 429), so until {@link #begin} the
 * transport reports itself not ready and the engine waits; a refusal written before
 * {@link #begin} goes out as an ordinary blocking response on the request thread.
 * <p>
 * A response without non-blocking output (MockMvc's mock response, which rejects a write
 * listener) is written blocking instead: it is in memory and never blocks. Tomcat, Jetty
 * and Undertow always take the non-blocking path.
 * <p>
 * On Tomcat, the request's character buffers, which a stream never uses, are swapped for
 * small ones while it is open ({@link TomcatStreamBuffers}, {@code sse.web.trim-container-buffers}).
 * <p>
 * Once the container reports the end of the request (completion, error, timeout) the
 * response is never touched again: the container recycles it for other requests. The
 * callback marks the transport ended and then waits, under {@code lock}, for a write in
 * progress to return; writes take the lock and check the mark. Like Spring's own async
 * response wrapper, writes only try the lock and give up once the mark is set, so a
 * callback and a write cannot wait for each other.
 */
final class ServletSseTransport implements SseTransport, WriteListener, AsyncListener {

	private static final Log logger = LogFactory.getLog(ServletSseTransport.class);

	/**
	 * Output streams that never keep the caller's array once a write returns, even a
	 * non-blocking write the socket could not take: Tomcat's copies what it cannot send
	 * into its own buffers (its socket write buffer, then a queue of copies). The servlet
	 * API promises nothing, so with any other stream (Jetty's writes from the array later, a
	 * wrapper) an array is only reused once the stream says it is ready.
	 */
	private static final Set<String> COPYING_STREAMS = Set.of("org.apache.catalina.connector.CoyoteOutputStream");

	/**
	 * Output streams that pass each write on to their response's inner response's stream as
	 * it is, and keep nothing: Spring MVC's guard around an asynchronous response, and
	 * Spring Security's response wrapper (which counts the bytes).
	 */
	private static final Set<String> PASS_THROUGH_STREAMS = Set.of(
			"org.springframework.web.context.request.async.StandardServletAsyncWebRequest$LifecycleServletOutputStream",
			"org.springframework.security.web.util.OnCommittedResponseWrapper$SaveContextServletOutputStream");

	private final HttpServletRequest request;

	private final HttpServletResponse response;

	private volatile @Nullable SseConnection connection;

	private volatile @Nullable AsyncContext async;

	private volatile @Nullable ServletOutputStream out;

	/**
	 * Whether the output stream has copied or sent the bytes of every write by the time the
	 * write returns, ready or not (set with {@link #out}).
	 */
	private volatile boolean writesCopy;

	/** Bytes were written but the stream could not be flushed yet (touched by the one drainer). */
	private boolean flushPending;

	/** The engine asked to complete the response (possibly before it went asynchronous). */
	private volatile boolean completeRequested;

	/** The container ended the request: it may already serve another one with these objects. */
	private volatile boolean ended;

	private final ReentrantLock lock = new ReentrantLock();

	private final AtomicBoolean completed = new AtomicBoolean();

	private final boolean trimContainerBuffers;

	/** The container's buffers this stream does not need, released until the request completes. */
	private volatile @Nullable TomcatStreamBuffers releasedBuffers;

	ServletSseTransport(HttpServletRequest request, HttpServletResponse response, boolean trimContainerBuffers) {
		this.request = request;
		this.response = response;
		this.trimContainerBuffers = trimContainerBuffers;
	}

	/**
	 * Make the response an open event stream: headers, asynchronous mode, non-blocking
	 * output. The container then calls {@link #onWritePossible()}, and the engine starts
	 * writing.
	 * @param timeoutMillis the async timeout, beyond the stream's maximum lifetime
	 * @return {@code false} if the client was gone before the stream began (the request
	 * then ends as an ordinary one)
	 * @throws IOException if the output stream is not available
	 */
	boolean begin(long timeoutMillis) throws IOException {
		setHeaders();
		try {
			// Committed here, on the request thread: filters that add headers as the response
			// is committed (Spring Security's header writer, Spring Session's cookie) do so
			// now, and not on a writer thread while this thread runs back out through them
			// (they add the same headers on the way out unless the response is committed;
			// headers are not safe to change from two threads). Still blocking, as any flush
			// before setWriteListener.
			this.response.flushBuffer();
		}
		catch (IOException ex) {
			logger.debug("The client went away before its SSE stream began", ex);
			return false;
		}
		AsyncContext context = this.request.startAsync(this.request, this.response);
		context.setTimeout(timeoutMillis);
		context.addListener(this);
		this.async = context;
		if (this.trimContainerBuffers) {
			this.releasedBuffers = TomcatStreamBuffers.release(this.request, this.response);
		}
		ServletOutputStream stream = this.response.getOutputStream();
		try {
			stream.setWriteListener(this);
		}
		catch (UnsupportedOperationException ex) {
			// No non-blocking output: a mock response (MockMvc), which never blocks. The
			// stream stays blocking and always ready; Tomcat, Jetty and Undertow never get here.
			logger.debug("The response has no non-blocking output; the SSE stream writes to it blocking");
		}
		// Published only now: before setWriteListener the stream is still blocking, and a
		// drainer that saw it ready then would write while the container's first
		// onWritePossible is pending, which non-blocking mode forbids.
		this.writesCopy = writesCopy(this.response, stream);
		this.out = stream;
		if (this.completeRequested) {
			completeOnce(context); // the stream ended while the response was being set up
			return true;
		}
		SseConnection current = this.connection;
		if (current != null) {
			current.writePossible(); // in case the container called back before out was set
		}
		return true;
	}

	private void setHeaders() {
		this.response.setStatus(HttpServletResponse.SC_OK);
		this.response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
		this.response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache, no-transform");
		this.response.setHeader("X-Accel-Buffering", "no"); // nginx: do not buffer the stream
	}

	@Override
	public void attach(SseConnection connection) {
		this.connection = connection;
	}

	@Override
	public boolean isReady() throws IOException {
		ServletOutputStream stream = this.out;
		if (stream == null) {
			return false; // not asynchronous yet: begin() leads to onWritePossible()
		}
		lockWhileUsable();
		try {
			if (!stream.isReady()) {
				return false;
			}
			if (this.flushPending) {
				this.flushPending = false;
				stream.flush();
				return stream.isReady();
			}
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void write(byte[] bytes) throws IOException {
		writeReusable(bytes, bytes.length);
	}

	/**
	 * Writes the bytes; the array is free again when the container says at once that it
	 * may write more: a blocking write, or a non-blocking one it completed (copied or sent),
	 * as the servlet API defines {@code isReady()}; with Tomcat, always (it copies what it
	 * cannot send at once).
	 */
	@Override
	public boolean writeReusable(byte[] bytes, int length) throws IOException {
		ServletOutputStream stream = this.out;
		if (stream == null) { // a refusal, on the request thread, before the response went asynchronous
			setHeaders();
			this.response.getOutputStream().write(bytes, 0, length);
			this.response.flushBuffer();
			return true;
		}
		lockWhileUsable();
		try {
			stream.write(bytes, 0, length);
			if (stream.isReady()) {
				stream.flush();
				return true;
			}
			this.flushPending = true; // flushed by isReady() once the container says it may
			return this.writesCopy;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Whether the stream, or the stream it passes writes on to, is one of {@link #COPYING_STREAMS}. */
	static boolean writesCopy(ServletResponse response, ServletOutputStream stream) throws IOException {
		String type = stream.getClass().getName();
		if (COPYING_STREAMS.contains(type)) {
			return true;
		}
		if (PASS_THROUGH_STREAMS.contains(type) && response instanceof ServletResponseWrapper wrapper) {
			ServletResponse inner = wrapper.getResponse();
			return writesCopy(inner, inner.getOutputStream());
		}
		return false;
	}

	/** Take the lock unless the request has ended; then the client is gone as far as the engine is concerned. */
	private void lockWhileUsable() throws IOException {
		try {
			while (!this.ended) {
				if (this.lock.tryLock(100, TimeUnit.MILLISECONDS)) {
					if (!this.ended) {
						return;
					}
					this.lock.unlock();
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		throw new IOException("The response has ended");
	}

	@Override
	public void complete() {
		this.completeRequested = true;
		AsyncContext context = this.async;
		if (context != null && !this.ended) {
			completeOnce(context);
		}
	}

	private void completeOnce(AsyncContext context) {
		if (this.completed.compareAndSet(false, true)) {
			try {
				context.complete();
			}
			catch (IllegalStateException ex) {
				// The container ended the request already, and may never say so: Tomcat has been
				// seen to recycle a request without onComplete or onError when its client left as
				// the stream opened (see VanishingClients.Departure.CLOSE_WHILE_OPENING).
				closed(CloseReason.CLIENT);
			}
		}
	}

	@Override
	public boolean confirmsCompletion() {
		return this.async != null; // onComplete confirms; a refused request ends when the controller returns
	}

	// ---- container callbacks ----------------------------------------------------------

	@Override
	public void onWritePossible() {
		SseConnection current = this.connection;
		if (current != null) {
			current.writePossible();
		}
	}

	@Override
	public void onError(Throwable failure) {
		closed(CloseReason.CLIENT);
		completeAfterError();
	}

	@Override
	public void onComplete(AsyncEvent event) {
		closed(CloseReason.CLIENT);
		TomcatStreamBuffers released = this.releasedBuffers;
		if (released != null) {
			this.releasedBuffers = null;
			released.restore(); // before the container reuses the request
		}
	}

	@Override
	public void onTimeout(AsyncEvent event) {
		closed(CloseReason.TIMEOUT);
		if (this.completed.compareAndSet(false, true)) {
			event.getAsyncContext().complete(); // ends the request now, so no timeout error is dispatched
		}
	}

	@Override
	public void onError(AsyncEvent event) {
		closed(CloseReason.CLIENT);
		completeAfterError();
	}

	/**
	 * A write failed because the client went away: end the request now. Left open, the
	 * container dispatches it to the error page, where Spring MVC fails to render an error
	 * body as {@code text/event-stream} and logs two WARN lines for a normal disconnect.
	 */
	private void completeAfterError() {
		AsyncContext context = this.async;
		if (context == null) {
			return;
		}
		this.completed.set(true);
		try {
			// Even if complete() was called before: a container that has an error pending
			// dispatches to the error page unless the request is completed from here.
			context.complete();
		}
		catch (IllegalStateException ex) {
			// the container ended the request meanwhile
		}
	}

	@Override
	public void onStartAsync(AsyncEvent event) {
	}

	/** The container ended the request: wait for a write in progress, then never touch the response again. */
	private void closed(CloseReason reason) {
		this.ended = true;
		this.lock.lock();
		this.lock.unlock();
		SseConnection current = this.connection;
		if (current != null) {
			current.transportClosed(reason);
		}
	}

}
