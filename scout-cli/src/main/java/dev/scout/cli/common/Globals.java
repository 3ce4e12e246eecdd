package dev.scout.cli.common;

import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.List;

/**
 * The global options every command reads ({@code --state-dir}, {@code --bootstrap}, {@code --port},
 * {@code --json}), as the root command holds them: commands ask this interface, never their parent
 * command class.
 */
public interface Globals {
    /** The root command's options, from any command in the tree. */
    public static Globals of(CommandSpec spec) {
        return (Globals) spec.root().userObject();
    }

    public boolean json();

    /** {@code SCOUT_DEBUG=1}: print stack traces and DHT logs. */
    public boolean debug();

    /** The UDP port ({@code --port}, 0 when not given). */
    public int port();

    /** {@code --port} given after the subcommand ({@link PortOption}). */
    public void portAfterCommand(Integer port);

    /** Whether --port was given (before or after the subcommand). */
    public boolean portGiven();

    public Path stateDir();

    /** The bootstrap list: {@code --bootstrap} split on commas, or the public routers. */
    public List<String> bootstrap();

    public boolean defaultBootstrap();
}
