package io.github.ssestarter.sample;

import java.security.Principal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.task.TaskExecutor;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.github.ssestarter.SseEvent;
import io.github.ssestarter.SseService;

/**
 * A background job that reports its progress to the user who started it: {@code job.progress}
 * events on {@code user:<name>} (started, 25 %, 50 %, 75 %, done — or failed), whichever
 * tab or node the user is connected to.
 */
@RestController
class ProgressJobs {

	static final String EVENT = "job.progress";

	private final SseService sse;

	private final TaskExecutor executor;

	private final long stepMillis;

	ProgressJobs(SseService sse, @Qualifier("applicationTaskExecutor") TaskExecutor executor,
			@Value("${sample.jobs.step:400ms}") Duration step) {
		this.sse = sse;
		this.executor = executor;
		this.stepMillis = step.toMillis();
	}

	@PostMapping("/api/jobs")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Map<String, String> start(Principal user, @RequestParam(defaultValue = "false") boolean fail) {
		String jobId = UUID.randomUUID().toString().substring(0, 8);
		this.executor.execute(() -> run(user.getName(), jobId, fail));
		return Map.of("jobId", jobId);
	}

	private void run(String user, String jobId, boolean fail) {
		report(user, jobId, 0, "started", "Job " + jobId + " started");
		for (int percent = 25; percent <= 100; percent += 25) {
			try {
				Thread.sleep(this.stepMillis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				report(user, jobId, percent - 25, "failed", "Job " + jobId + " was interrupted");
				return;
			}
			if (fail && percent == 75) {
				report(user, jobId, 50, "failed", "Job " + jobId + " failed at 50 %");
				return;
			}
			report(user, jobId, percent, (percent == 100) ? "done" : "running",
					"Job " + jobId + ((percent == 100) ? " done" : " at " + percent + " %"));
		}
	}

	private void report(String user, String jobId, int percent, String state, String message) {
		Map<String, Object> progress = new LinkedHashMap<>();
		progress.put("jobId", jobId);
		progress.put("percent", percent);
		progress.put("state", state);
		progress.put("message", message);
		this.sse.sendToUser(user, SseEvent.of(EVENT, progress));
	}

}
