package io.rns.bench.scenario;

import io.rns.bench.context.BenchContext;
import io.rns.bench.report.Results;

/** One benchmark scenario: runs against the context's servers and fills its section of the results. */
public interface Scenario {
    String name();

    String description();

    void run(BenchContext ctx, Results.Scenario out) throws Exception;
}
