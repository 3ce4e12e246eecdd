package dev.scout.cli.quick;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command lines the quick path takes: {@code status}, {@code id}, {@code contacts list},
 * {@code contacts show NAME}, {@code send NAME TEXT}, {@code sync [NAME...]} and {@code pipe NAME
 * [--device DEVICE]}, with the global options in their plain forms. Deliberately narrow: anything else
 * (help, version, an option it does not know, an argument picocli would read differently, a value the
 * full command would reject) is left to the full command line, which gives the usual answer or the
 * usual error.
 *
 * @param command    the command's words, e.g. {@code contacts list}
 * @param positional its arguments
 * @param stateDir   the state directory ({@code --state-dir}, {@code $SCOUT_HOME} or {@code ~/.scout})
 * @param json       {@code --json}
 * @param device     {@code pipe}'s {@code --device}, or null
 */
record QuickArgs(String command, List<String> positional, Path stateDir, boolean json, String device) {
    // inbox stays with the full command line: it fetches, pages the unread messages and marks them read
    // (three calls or more, docs/api.md), which the quick path would have to repeat.
    private static final Set<String> COMMANDS = Set.of("status", "id", "contacts list", "contacts show", "send",
            "sync", "pipe");
    /** Commands that take {@code --port} after their name ({@code PortOption}). */
    private static final Set<String> PORT_AFTER = Set.of("send", "sync");
    /** The quick form of {@code args}, or empty when the full command line must handle them. */
    static Optional<QuickArgs> parse(String[] args, Map<String, String> env) {
        String stateDir = null;
        boolean json = false;
        boolean bootstrap = false;
        boolean portBefore = false; // --port may be given once before the command and once after it
        boolean portAfter = false;
        String device = null;
        List<String> words = new ArrayList<>();
        for (int k = 0; k < args.length; k++) {
            String a = args[k];
            if (a.startsWith("@")) {
                return Optional.empty(); // an @argument file: picocli expands it
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            boolean takesValue = name.equals("--state-dir") || name.equals("--bootstrap") || name.equals("--port")
                    || name.equals("--device");
            if (takesValue && value == null) {
                if (k + 1 >= args.length) {
                    return Optional.empty();
                }
                value = args[++k];
                if (value.startsWith("-") || value.startsWith("@")) {
                    return Optional.empty();
                }
            }
            switch (name) {
                case "--json" -> {
                    if (json || value != null) {
                        return Optional.empty();
                    }
                    json = true;
                }
                case "--state-dir" -> {
                    if (stateDir != null || value.isEmpty() || value.startsWith("@")) {
                        return Optional.empty();
                    }
                    stateDir = value;
                }
                case "--bootstrap" -> {
                    if (bootstrap || !plainHostPorts(value)) {
                        return Optional.empty();
                    }
                    bootstrap = true;
                }
                case "--port" -> {
                    boolean before = words.isEmpty();
                    if ((before ? portBefore : portAfter) || !plainPort(value, 0) || (!before && !PORT_AFTER.contains(words.get(0)))) {
                        return Optional.empty();
                    }
                    portBefore |= before;
                    portAfter |= !before;
                }
                case "--device" -> {
                    // pipe's own option: after the command's name, once, a plain value
                    if (device != null || value.isEmpty() || words.isEmpty() || !words.get(0).equals("pipe")) {
                        return Optional.empty();
                    }
                    device = value;
                }
                default -> {
                    // Options picocli knows that we do not (--help, -V, …) and "--".
                    if (a.startsWith("-")) {
                        return Optional.empty();
                    }
                    words.add(a);
                }
            }
        }
        Optional<String> command = command(words);
        if (command.isEmpty()) {
            return Optional.empty();
        }
        QuickArgs quick = new QuickArgs(command.get(), List.copyOf(words.subList(command.get().split(" ").length, words.size())),
                stateDir(stateDir, env), json, device);
        return quick.arityFits() ? Optional.of(quick) : Optional.empty();
    }

    private static Optional<String> command(List<String> words) {
        if (words.isEmpty()) {
            return Optional.empty();
        }
        String one = words.get(0);
        String two = words.size() > 1 ? one + " " + words.get(1) : one;
        return COMMANDS.contains(two) && !two.equals(one) ? Optional.of(two)
                : COMMANDS.contains(one) ? Optional.of(one) : Optional.empty();
    }

    private boolean arityFits() {
        int n = positional.size();
        return switch (command) {
            case "status", "id", "contacts list" -> n == 0;
            case "contacts show", "pipe" -> n == 1;
            case "send" -> n == 2;
            default -> true; // sync NAME...
        };
    }

    /**
     * HOST:PORT[,HOST:PORT...] in the plainest form Args.hostPorts accepts (names or IPv4 literals of
     * letters, digits, dots and dashes, or a bracketed IPv6 literal; ports 1..65535): anything else goes
     * the long way, to be checked and worded there. No regular expression: compiling one costs a short
     * command more than this whole check.
     */
    static boolean plainHostPorts(String list) {
        if (list.isEmpty() || list.endsWith(",")) {
            return false;
        }
        for (String part : list.split(",")) {
            int colon = part.lastIndexOf(':');
            if (colon <= 0 || !plainPort(part.substring(colon + 1), 1) || !plainHost(part.substring(0, colon))) {
                return false;
            }
        }
        return true;
    }

    private static boolean plainHost(String host) {
        boolean bracketed = host.length() > 2 && host.startsWith("[") && host.endsWith("]");
        String inner = bracketed ? host.substring(1, host.length() - 1) : host;
        if (inner.isEmpty() || (!bracketed && (inner.charAt(0) == '-' || inner.charAt(0) == '.'))) {
            return false;
        }
        for (int k = 0; k < inner.length(); k++) {
            char c = inner.charAt(k);
            boolean ok = bracketed ? Character.digit(c, 16) >= 0 || c == ':' || c == '.'
                    : (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Decimal digits without a leading zero (or "0"), {@code min}..65535. */
    static boolean plainPort(String s, int min) {
        if (s.isEmpty() || s.length() > 5 || (s.length() > 1 && s.charAt(0) == '0')) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (s.charAt(k) < '0' || s.charAt(k) > '9') {
                return false;
            }
        }
        int port = Integer.parseInt(s);
        return port >= min && port <= 65535;
    }

    /** As ScoutCommand.stateDir(): the option, else a non-blank $SCOUT_HOME, else ~/.scout. */
    private static Path stateDir(String option, Map<String, String> env) {
        if (option != null) {
            return Path.of(option); // an invalid path throws: the caller leaves it to picocli
        }
        String home = env.get("SCOUT_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        return Path.of(System.getProperty("user.home"), ".scout");
    }
}
