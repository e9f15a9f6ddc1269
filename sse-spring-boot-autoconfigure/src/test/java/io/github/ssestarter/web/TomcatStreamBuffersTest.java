package io.github.ssestarter.web;

import java.lang.reflect.Field;
import java.nio.CharBuffer;

import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.apache.catalina.connector.InputBuffer;
import org.apache.catalina.connector.OutputBuffer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On Tomcat's own request and response objects (the ones its connector recycles between
 * requests): a stream's character buffers shrink while it is open and come back at full
 * size, empty, before the objects are reused. The end-to-end effect, heap per idle stream,
 * is measured by the benchmarks' idle scenario.
 */
class TomcatStreamBuffersTest {

	private final Request request = new Request(null, new org.apache.coyote.Request());

	private final Response response = new Response(new org.apache.coyote.Response());

	@Test
	void shrinksBothCharacterBuffersBehindWrappersAndRestoresThemEmptyAtFullSize() throws Exception {
		CharBuffer originalInput = inputChars();
		CharBuffer originalOutput = outputChars();
		assertThat(originalInput.capacity()).isEqualTo(8192);
		assertThat(originalOutput.capacity()).isEqualTo(8192);

		TomcatStreamBuffers released = TomcatStreamBuffers.release(
				new HttpServletRequestWrapper(this.request.getRequest()),
				new HttpServletResponseWrapper(this.response.getResponse()));

		assertThat(released).isNotNull();
		assertThat(inputChars().capacity()).isEqualTo(TomcatStreamBuffers.STREAM_CHARS);
		assertThat(outputChars().capacity()).isEqualTo(TomcatStreamBuffers.STREAM_CHARS);

		released.restore();

		for (CharBuffer restored : new CharBuffer[] { inputChars(), outputChars() }) {
			assertThat(restored.capacity()).isEqualTo(8192);
			assertThat(restored.position()).isZero();
			assertThat(restored.limit()).isZero(); // Tomcat's "empty", as recycle() leaves it
		}
		assertThat((Object) inputChars()).isNotSameAs(originalInput);
	}

	@Test
	void restoringTwiceOrAfterTheContainerReplacedTheBufferChangesNothing() throws Exception {
		TomcatStreamBuffers released = TomcatStreamBuffers.release(this.request.getRequest(),
				this.response.getResponse());
		assertThat(released).isNotNull();
		CharBuffer containers = CharBuffer.allocate(100);
		containers.limit(0);
		field(OutputBuffer.class, "cb").set(outputBuffer(), containers);

		released.restore();
		CharBuffer restoredInput = inputChars();
		released.restore();

		assertThat((Object) outputChars()).isSameAs(containers);
		assertThat((Object) inputChars()).isSameAs(restoredInput);
	}

	/** Tomcat can recycle a request without telling its listeners, so no restore() came. */
	@Test
	void aStandInLeftBehindComesBackAtFullSizeWithTheNextStream() throws Exception {
		assertThat(TomcatStreamBuffers.release(this.request.getRequest(), this.response.getResponse())).isNotNull();

		TomcatStreamBuffers next = TomcatStreamBuffers.release(this.request.getRequest(),
				this.response.getResponse());
		assertThat(next).isNotNull();
		next.restore();

		assertThat(inputChars().capacity()).isEqualTo(8192);
		assertThat(outputChars().capacity()).isEqualTo(8192);
	}

	@Test
	void leavesBuffersThatHoldCharactersAlone() throws Exception {
		CharBuffer used = outputChars();
		used.limit(3).position(1);

		assertThat(TomcatStreamBuffers.release(this.request.getRequest(), this.response.getResponse())).isNull();
		assertThat((Object) outputChars()).isSameAs(used);
		assertThat(inputChars().capacity()).isEqualTo(8192);
	}

	@Test
	void doesNothingOutsideTomcat() {
		assertThat(TomcatStreamBuffers.release(new MockHttpServletRequest(), new MockHttpServletResponse())).isNull();
	}

	private CharBuffer inputChars() throws Exception {
		Object input = field(Request.class, "inputBuffer").get(this.request);
		return (CharBuffer) field(InputBuffer.class, "cb").get(input);
	}

	private Object outputBuffer() throws Exception {
		return field(Response.class, "outputBuffer").get(this.response);
	}

	private CharBuffer outputChars() throws Exception {
		return (CharBuffer) field(OutputBuffer.class, "cb").get(outputBuffer());
	}

	private static Field field(Class<?> type, String name) throws NoSuchFieldException {
		Field field = type.getDeclaredField(name);
		field.setAccessible(true);
		return field;
	}

}
