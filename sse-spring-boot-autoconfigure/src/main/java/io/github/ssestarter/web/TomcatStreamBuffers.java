package io.github.ssestarter.web;

import java.lang.reflect.Field;
import java.nio.CharBuffer;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Tomcat gives every request it is processing a character buffer for reading the request
 * ({@code getReader()}) and one for writing the response ({@code getWriter()}): 8,192
 * characters, 16 KB each, allocated whether the application uses them or not, and kept
 * for as long as the request lasts. An event stream reads no body and writes bytes, so for
 * 10,000 open streams they are 320 MB of heap nobody uses.
 * <p>
 * For the life of a stream both are swapped for small ones ({@value #STREAM_CHARS}
 * characters, still enough for the container's own error report), and put back at full
 * size when the container reports the request complete, before it reuses these objects
 * for another request. Tomcat has no API for this, so it is done reflectively on its
 * connector classes; when they are not there or not as expected (another container,
 * another Tomcat) nothing is done.
 */
final class TomcatStreamBuffers {

	private static final Log logger = LogFactory.getLog(TomcatStreamBuffers.class);

	private static final String REQUEST_FACADE = "org.apache.catalina.connector.RequestFacade";

	private static final String RESPONSE_FACADE = "org.apache.catalina.connector.ResponseFacade";

	/** Characters in a stream's stand-in buffers. */
	static final int STREAM_CHARS = 256;

	/** Characters in Tomcat's own buffers (its default buffer size). */
	private static final int TOMCAT_CHARS = 8192;

	/** The path to the buffers, found on first use (for the Tomcat classes then seen). */
	private static volatile @Nullable Fields fields;

	/** Set when this Tomcat is not as expected: nothing is trimmed from then on. */
	private static volatile boolean disabled;

	private final Fields path;

	private final Object inputBuffer;

	private final Object outputBuffer;

	private final CharBuffer inputStandIn;

	private final CharBuffer outputStandIn;

	private final int inputCapacity;

	private final int outputCapacity;

	private TomcatStreamBuffers(Fields path, Object inputBuffer, Object outputBuffer, CharBuffer inputStandIn,
			CharBuffer outputStandIn, int inputCapacity, int outputCapacity) {
		this.path = path;
		this.inputBuffer = inputBuffer;
		this.outputBuffer = outputBuffer;
		this.inputStandIn = inputStandIn;
		this.outputStandIn = outputStandIn;
		this.inputCapacity = inputCapacity;
		this.outputCapacity = outputCapacity;
	}

	/**
	 * Swap the character buffers of this Tomcat request for small ones.
	 * @param request the stream's request, possibly wrapped
	 * @param response the stream's response, possibly wrapped
	 * @return what {@link #restore()} puts back, or {@code null} if this is not Tomcat or
	 * the buffers are in use
	 */
	static @Nullable TomcatStreamBuffers release(ServletRequest request, ServletResponse response) {
		ServletRequest innerRequest = unwrap(request);
		ServletResponse innerResponse = unwrap(response);
		if (!REQUEST_FACADE.equals(innerRequest.getClass().getName())
				|| !RESPONSE_FACADE.equals(innerResponse.getClass().getName())) {
			return null;
		}
		Fields resolved = fields(innerRequest.getClass(), innerResponse.getClass());
		if (resolved == null) {
			return null;
		}
		try {
			Object input = resolved.inputBuffer(innerRequest);
			Object output = resolved.outputBuffer(innerResponse);
			CharBuffer inputChars = (CharBuffer) resolved.inputChars.get(input);
			CharBuffer outputChars = (CharBuffer) resolved.outputChars.get(output);
			if (inUse(inputChars) || inUse(outputChars)) {
				return null; // the application read or wrote characters: leave them
			}
			CharBuffer inputStandIn = emptyBuffer(STREAM_CHARS);
			CharBuffer outputStandIn = emptyBuffer(STREAM_CHARS);
			resolved.inputChars.set(input, inputStandIn);
			resolved.outputChars.set(output, outputStandIn);
			return new TomcatStreamBuffers(resolved, input, output, inputStandIn, outputStandIn,
					fullSize(inputChars.capacity()), fullSize(outputChars.capacity()));
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			disable(ex);
			return null;
		}
	}

	/**
	 * Put full-size buffers back, unless the container replaced the stand-ins itself or
	 * something wrote into them. Call once the container has completed the request.
	 */
	void restore() {
		try {
			restore(this.path.inputChars, this.inputBuffer, this.inputStandIn, this.inputCapacity);
			restore(this.path.outputChars, this.outputBuffer, this.outputStandIn, this.outputCapacity);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			disable(ex);
		}
	}

	private static void restore(Field chars, Object buffer, CharBuffer standIn, int capacity)
			throws IllegalAccessException {
		if (chars.get(buffer) == standIn && !inUse(standIn)) {
			chars.set(buffer, emptyBuffer(capacity));
		}
	}

	/**
	 * The size to restore: a stand-in's size means an earlier stream's stand-in is still
	 * there (Tomcat can end a request without telling its listeners: a client gone as the
	 * stream opened), and the buffer goes back to Tomcat's size.
	 */
	private static int fullSize(int capacity) {
		return (capacity == STREAM_CHARS) ? TOMCAT_CHARS : capacity;
	}

	/** Tomcat's empty state for these buffers: position and limit 0. */
	private static CharBuffer emptyBuffer(int capacity) {
		CharBuffer buffer = CharBuffer.allocate(capacity);
		buffer.limit(0);
		return buffer;
	}

	private static boolean inUse(CharBuffer buffer) {
		return buffer.position() != 0 || buffer.limit() != 0;
	}

	private static ServletRequest unwrap(ServletRequest request) {
		ServletRequest current = request;
		while (current instanceof ServletRequestWrapper wrapper) {
			current = wrapper.getRequest();
		}
		return current;
	}

	private static ServletResponse unwrap(ServletResponse response) {
		ServletResponse current = response;
		while (current instanceof ServletResponseWrapper wrapper) {
			current = wrapper.getResponse();
		}
		return current;
	}

	private static @Nullable Fields fields(Class<?> requestFacade, Class<?> responseFacade) {
		if (disabled) {
			return null;
		}
		Fields resolved = fields;
		if (resolved == null || resolved.requestFacade != requestFacade || resolved.responseFacade != responseFacade) {
			try {
				resolved = Fields.resolve(requestFacade, responseFacade);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				disable(ex);
				return null;
			}
			fields = resolved;
		}
		return resolved;
	}

	private static void disable(Exception ex) {
		disabled = true;
		logger.debug("Not trimming Tomcat's buffers for event streams: this Tomcat is not as expected", ex);
	}

	/** The reflective path from Tomcat's facades to the two character buffers. */
	private record Fields(Class<?> requestFacade, Class<?> responseFacade, Field request, Field inputBuffer,
			Field inputChars, Field response, Field outputBuffer, Field outputChars) {

		static Fields resolve(Class<?> requestFacade, Class<?> responseFacade) throws ReflectiveOperationException {
			Field request = field(requestFacade, "request");
			Field inputBuffer = field(request.getType(), "inputBuffer");
			Field inputChars = field(inputBuffer.getType(), "cb");
			Field response = field(responseFacade, "response");
			Field outputBuffer = field(response.getType(), "outputBuffer");
			Field outputChars = field(outputBuffer.getType(), "cb");
			if (inputChars.getType() != CharBuffer.class || outputChars.getType() != CharBuffer.class) {
				throw new NoSuchFieldException("Tomcat's cb is not a CharBuffer");
			}
			return new Fields(requestFacade, responseFacade, request, inputBuffer, inputChars, response, outputBuffer,
					outputChars);
		}

		private static Field field(Class<?> type, String name) throws NoSuchFieldException {
			Field field = type.getDeclaredField(name);
			field.setAccessible(true);
			return field;
		}

		Object inputBuffer(Object facade) throws IllegalAccessException {
			return get(this.inputBuffer, get(this.request, facade));
		}

		Object outputBuffer(Object facade) throws IllegalAccessException {
			return get(this.outputBuffer, get(this.response, facade));
		}

		private static Object get(Field field, Object target) throws IllegalAccessException {
			Object value = field.get(target);
			if (value == null) {
				throw new IllegalStateException("Tomcat's request has no " + field);
			}
			return value;
		}

	}

}
