package io.github.ssestarter.benchmarks;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A node for the benchmarks: the starter and nothing else. */
@SpringBootApplication
public class BenchmarkApplication {

}
