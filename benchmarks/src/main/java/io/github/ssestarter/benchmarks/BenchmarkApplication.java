package io.github.ssestarter.benchmarks;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * A node for the Redis benchmark: the starter and nothing else (no component scan, which
 * would pick up the load harness's server variants).
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class BenchmarkApplication {

}
