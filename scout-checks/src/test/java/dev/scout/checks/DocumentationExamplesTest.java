package dev.scout.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scout.dht.udp.LoopbackTestnet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Java example of README.md and of the package Javadoc is a copy of example code under
 * {@code src/test/java/example} (a whole file for README, a {@code // region} for Javadoc), and that
 * code runs here against a {@link LoopbackTestnet}.
 */
class DocumentationExamplesTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    private static final Path EXAMPLES = ROOT.resolve("scout-checks/src/test/java/example");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern JAVADOC_BLOCK = Pattern.compile("<pre>\\{@code\\n(.*?)\\n \\* }</pre>", Pattern.DOTALL);
    private static final Pattern REGION = Pattern.compile(
            "\\n[ \\t]*// region ([\\w-]+)\\n(.*?)\\n[ \\t]*// endregion", Pattern.DOTALL);

    private static LoopbackTestnet testnet;

    @BeforeAll
    static void start() {
        testnet = LoopbackTestnet.start(16);
    }

    @AfterAll
    static void stop() {
        testnet.close();
    }

    @Test
    void everyReadmeJavaBlockIsAnExampleFile() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> files = new ArrayList<>();
        try (var list = Files.list(EXAMPLES)) {
            for (Path f : (Iterable<Path>) list::iterator) {
                files.add(Files.readString(f));
            }
        }
        Matcher m = JAVA_BLOCK.matcher(readme);
        int blocks = 0;
        while (m.find()) {
            blocks++;
            assertThat(files).as("README java block %d is an example file verbatim", blocks).contains(m.group(1));
        }
        assertThat(blocks).as("README java blocks").isPositive();
    }

    @Test
    void everyPackageJavadocExampleIsAnExampleRegion() throws IOException {
        List<String> regions = new ArrayList<>();
        try (var list = Files.list(EXAMPLES)) {
            for (Path f : (Iterable<Path>) list::iterator) {
                Matcher r = REGION.matcher(Files.readString(f));
                while (r.find()) {
                    regions.add(dedent(r.group(2)));
                }
            }
        }
        int blocks = 0;
        try (var files = Files.walk(ROOT)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!f.getFileName().toString().equals("package-info.java") || !f.toString().contains("/src/main/java/")) {
                    continue;
                }
                Matcher m = JAVADOC_BLOCK.matcher(Files.readString(f));
                while (m.find()) {
                    blocks++;
                    String code = m.group(1).replaceAll("(?m)^ \\*( |$)", "");
                    assertThat(regions).as("example in %s is an example region verbatim", ROOT.relativize(f))
                            .contains(code);
                }
            }
        }
        assertThat(blocks).as("package Javadoc examples").isGreaterThanOrEqualTo(6);
    }

    @Test
    void theReadmeExampleRuns() throws Exception {
        String printed = capture(() -> example.QuickStart.main(new String[0]));
        assertThat(printed).contains("Bob is at tcp://203.0.113.7:4000").contains("Bob wrote: Hi Alice!");
    }

    @Test
    void theScoutNodeExampleRuns() throws Exception {
        String printed = capture(() -> example.TwoNodes.main(new String[0]));
        assertThat(printed).contains("Bob's device: [").contains("alice wrote: Hi Bob!")
                .contains("Bob received 1048576 bytes");
    }

    @Test
    void theRealDhtExampleIsInTheReadme() throws IOException {
        // Compiled with the other examples; not run (it needs the public DHT and a second machine).
        assertThat(Files.readString(ROOT.resolve("README.md"))).contains("public class RealDht")
                .contains("ScoutNode.builder().identity(me).start()");
    }

    @Test
    void theAliceAndBobExampleRuns() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        example.AliceAndBob.aliceAndBob(testnet.nodeConfig().build(), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("Alice is at 203.0.113.7:4000").contains("Bob: see you at 8");
    }

    @Test
    void theSmallerExamplesRun() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        example.DhtExamples.udp(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8).strip()).isEqualTo("hello");
        try (var node = dev.scout.dht.udp.DhtNode.start(testnet.nodeConfig().build())) {
            node.bootstrapped().get();
            Map.Entry<String, dev.scout.dht.PutResult> r = example.DhtExamples.mutable(node);
            assertThat(r.getKey()).isEqualTo("v1");
            assertThat(r.getValue().stored()).isPositive();
        }
        assertThat(example.DhtExamples.bencode()).isInstanceOf(Map.class).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("n", 42L);
        var keys = example.AliceAndBob.crypto(dev.scout.dht.Ed25519KeyPair.generate().publicKey().toZBase32());
        assertThat(example.AliceAndBob.message(keys, new dev.scout.core.message.ListHead()).id()).isNotNull();
    }

    private static String dedent(String block) {
        String[] lines = block.split("\n", -1);
        int indent = Integer.MAX_VALUE;
        for (String l : lines) {
            if (!l.isBlank()) {
                indent = Math.min(indent, l.length() - l.stripLeading().length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            out.append(lines[i].isBlank() ? "" : lines[i].substring(indent));
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    interface Action {
        void run() throws Exception;
    }

    private static synchronized String capture(Action action) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
