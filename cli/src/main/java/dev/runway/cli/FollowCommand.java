package dev.runway.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "follow", description = "Follows a run already started until it ends; exits with 3 unless it "
        + "succeeded.")
class FollowCommand implements Callable<Integer> {

    @Mixin
    Common common;

    @Parameters(paramLabel = "RUN_ID")
    long runId;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
            description = "Seconds between looks at the run (default ${DEFAULT-VALUE}).")
    double interval;

    @Override
    public Integer call() {
        return new Follower(common.api(), common, Follower.every(interval)).follow(runId);
    }
}
