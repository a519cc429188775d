package io.rns.server.admin;

import picocli.CommandLine;

import java.io.PrintWriter;

/** How a refused or failed operation is reported: one line on stderr naming the problem, exit 2. */
final class Failures {
    private Failures() {
    }

    static int report(CommandLine.Model.CommandSpec spec, RuntimeException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("rns-admin: " + e.getMessage());
        err.flush();
        return AdminMain.EXIT_FAILED;
    }
}
