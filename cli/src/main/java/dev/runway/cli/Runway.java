package dev.runway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `runway` command: drives a Runway console through its API. */
@Command(name = "runway", mixinStandardHelpOptions = true, version = "runway 0.1.0",
        description = "Drives a Runway console from a terminal or a CI job.")
public class Runway implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Runway()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
