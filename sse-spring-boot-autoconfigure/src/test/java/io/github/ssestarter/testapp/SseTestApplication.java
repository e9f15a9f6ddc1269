package io.github.ssestarter.testapp;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The smallest application using the starter: nothing but the auto-configuration. */
@SpringBootApplication
public class SseTestApplication {

}
