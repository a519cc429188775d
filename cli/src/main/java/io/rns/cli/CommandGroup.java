package io.rns.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** A command that only groups subcommands ({@code kv}, {@code peers}); it accepts the global options too. */
abstract class CommandGroup implements Callable<Integer> {
    @Mixin
    GlobalOptions local;

    @Spec
    CommandSpec spec;

    /** The usage error printed when no subcommand is given. */
    abstract String missingCommandMessage();

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), missingCommandMessage());
    }
}
