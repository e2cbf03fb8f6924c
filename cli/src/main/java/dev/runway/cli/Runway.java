package dev.runway.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `runway` command: drives a Runway console through its API (docs/cli.md). */
// scope INHERIT: every command takes --help (and --version), and lists the exit codes.
@Command(name = "runway", mixinStandardHelpOptions = true, version = "runway " + Runway.VERSION,
        scope = CommandLine.ScopeType.INHERIT,
        description = "Drives a Runway console from a terminal or a CI job.",
        subcommands = {LoginCommand.class, ProjectsCommand.class, UploadCommand.class, PrepareCommand.class,
            RunCommand.class, FollowCommand.class, ModelsCommand.class, PromoteCommand.class, UsageCommand.class,
            CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the console refused or could not be reached (the message says why)",
            "2:wrong usage of the command", "3:the followed run ended without succeeding (failed, cancelled or stopped)",
            "4:promote: the move waits for approvals"})
public class Runway implements Runnable {

    public static final String VERSION = "0.1.0";
    static final int EXIT_ERROR = 1;
    static final int EXIT_RUN_FAILED = 3;
    /** promote: the move waits for approvals. */
    static final int EXIT_PENDING = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with the client's error handling: a refusal of the console or an unreachable one is one line
     * on standard error and exit code 1, not a stack trace. Tests run it in-process with their own out and err.
     */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new Runway());
        line.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof CliException failure) {
                command.getErr().println("runway: " + failure.getMessage());
                command.getErr().flush();
                return failure.exitCode;
            }
            if (e instanceof IOException || e instanceof UncheckedIOException) {
                command.getErr().println("runway: " + Api.describe(e));
                command.getErr().flush();
                return EXIT_ERROR;
            }
            throw e;
        });
        return line;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
