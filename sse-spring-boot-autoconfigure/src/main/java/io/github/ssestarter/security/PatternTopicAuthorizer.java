package io.github.ssestarter.security;

import java.util.List;

import org.springframework.util.PatternMatchUtils;

/**
 * Allows the topics that match {@code sse.security.allowed-topics}: public topics anyone who
 * may open a stream can receive. {@code *} matches any characters. Abstains on the rest.
 *
 * @since 0.1.0
 */
public class PatternTopicAuthorizer implements SseTopicAuthorizer {

	private final String[] patterns;

	/**
	 * Create the authorizer.
	 * @param patterns the allowed topic patterns
	 */
	public PatternTopicAuthorizer(List<String> patterns) {
		this.patterns = patterns.toArray(new String[0]);
	}

	@Override
	public Vote vote(SseSubscriber subscriber, String topic) {
		return PatternMatchUtils.simpleMatch(this.patterns, topic) ? Vote.ALLOW : Vote.ABSTAIN;
	}

}
