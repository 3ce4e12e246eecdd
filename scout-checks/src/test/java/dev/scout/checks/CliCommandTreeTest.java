package dev.scout.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shape of scout-cli's command tree (docs/architecture.md): no command refers to its parent command
 * class (shared options come from {@code Globals} and mixins), and commands are grouped by subject in
 * packages — the {@code dht} subcommands in their own, the daemon in its own. Package cycles are
 * checked for every shipped module, scout-cli included, by {@link ModuleBoundariesTest}.
 */
class CliCommandTreeTest {
    private static final Path CLI = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent()
            .resolve("scout-cli/src/main/java/dev/scout/cli");
    private static final Pattern SUBCOMMANDS = Pattern.compile("subcommands\\s*=\\s*\\{([^}]*)}", Pattern.DOTALL);

    private static Map<String, Path> sources() throws IOException {
        Map<String, Path> byName = new HashMap<>();
        try (var files = Files.walk(CLI)) {
            files.filter(f -> f.toString().endsWith(".java"))
                    .forEach(f -> byName.put(f.getFileName().toString().replace(".java", ""), f));
        }
        return byName;
    }

    private static String code(Path f) throws IOException {
        String s = Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//.*", "");
        return s.replaceAll("(?m)^import .*$", "");
    }

    @Test
    void noCommandRefersToItsParentCommand() throws IOException {
        Map<String, Path> sources = sources();
        List<String> offences = new ArrayList<>();
        int children = 0;
        for (Map.Entry<String, Path> parent : sources.entrySet()) {
            Matcher m = SUBCOMMANDS.matcher(Files.readString(parent.getValue()));
            if (!m.find()) {
                continue;
            }
            for (String child : m.group(1).split(",")) {
                String name = child.strip().replace(".class", "");
                if (name.isEmpty() || !sources.containsKey(name)) {
                    continue;
                }
                children++;
                if (Pattern.compile("\\b" + parent.getKey() + "\\b").matcher(code(sources.get(name))).find()) {
                    offences.add(name + " refers to its parent " + parent.getKey());
                }
            }
        }
        assertThat(children).as("subcommands found").isGreaterThan(15);
        assertThat(offences).isEmpty();
    }

    @Test
    void commandsAreGroupedBySubject() throws IOException {
        Map<String, Path> sources = sources();
        assertThat(CLI.relativize(sources.get("DhtGetCommand")).toString()).startsWith("dht/");
        assertThat(CLI.relativize(sources.get("DhtCommand")).toString()).startsWith("dht/");
        assertThat(CLI.relativize(sources.get("DaemonCommand")).toString()).startsWith("daemon/");
        assertThat(CLI.relativize(sources.get("ApiServer")).toString()).startsWith("api/");
        try (var top = Files.list(CLI)) {
            assertThat(top.filter(f -> f.toString().endsWith(".java")).count())
                    .as("classes left in dev.scout.cli itself (the root command and completion)").isLessThanOrEqualTo(2);
        }
    }
}
