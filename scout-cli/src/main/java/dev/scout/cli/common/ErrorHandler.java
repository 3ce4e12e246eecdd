package dev.scout.cli.common;

import dev.scout.cli.client.OneLine;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns every failure into one line on stderr, {@code scout: <message>}: exit 2 for usage errors (bad
 * options, bad argument values), 1 for everything else. {@code SCOUT_DEBUG=1} adds the stack trace.
 */
public final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    public static final int RUNTIME_ERROR = 1;
    public static final int USAGE_ERROR = 2;

    private final boolean debug;

    public ErrorHandler(boolean debug) {
        this.debug = debug;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        Throwable cause = unwrap(ex);
        if (cause instanceof ParameterException pe) {
            return handleParseException(pe, new String[0]);
        }
        report(commandLine.getErr(), message(cause), ex);
        return RUNTIME_ERROR;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        String hint = cl == null ? "" : " (see '" + cl.getCommandSpec().qualifiedName() + " --help')";
        PrintWriter err = cl == null ? new PrintWriter(System.err, true) : cl.getErr();
        report(err, oneLine(ex.getMessage()) + hint, ex);
        return USAGE_ERROR;
    }

    private void report(PrintWriter err, String message, Throwable ex) {
        err.println("scout: " + message);
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
    }

    /** Strips the wrappers futures and reflection put around the exception that matters. */
    public static Throwable unwrap(Throwable e) {
        while ((e instanceof ExecutionException || e instanceof CompletionException
                || e instanceof CommandLine.ExecutionException || e instanceof InvocationTargetException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** A one-line message for a (unwrapped) exception. */
    public static String message(Throwable e) {
        return OneLine.message(e);
    }

    private static String oneLine(String s) {
        return OneLine.of(s);
    }
}
