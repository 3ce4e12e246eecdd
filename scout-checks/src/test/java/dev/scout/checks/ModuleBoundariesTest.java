package dev.scout.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of docs/api-guidelines.md for every shipped module: no package cycles inside a module,
 * and no exported type whose signatures expose an internal or third-party type.
 */
class ModuleBoundariesTest {
    private static final List<ShippedModule> MODULES = ShippedModule.onClassPath();

    @TempDir
    Path work;

    /** Every module of the build that has a module-info.java is checked here (add it to this module's pom). */
    @Test
    void everyModuleOfTheBuildIsChecked() throws IOException {
        Path root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
        Set<String> declared = new TreeSet<>();
        Pattern name = Pattern.compile("\\bmodule\\s+([\\w.]+)\\s*\\{");
        try (var dirs = Files.list(root)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                Path info = dir.resolve("src/main/java/module-info.java");
                if (Files.exists(info)) {
                    Matcher m = name.matcher(Files.readString(info));
                    assertThat(m.find()).as("module name in %s", info).isTrue();
                    declared.add(m.group(1));
                }
            }
        }
        assertThat(declared).contains("dev.scout.dht", "dev.scout.core", "dev.scout.app", "dev.scout.session",
                "dev.scout.node", "dev.scout.sqlite", "dev.scout.cli");
        assertThat(MODULES.stream().map(ShippedModule::name).collect(Collectors.toSet()))
                .as("shipped modules on scout-checks' class path").containsAll(declared);
    }

    @Test
    void noModuleHasAPackageCycle() {
        StringBuilder report = new StringBuilder();
        for (ShippedModule module : MODULES) {
            List<Set<String>> cycles = PackageCycles.find(module.packages(), Jdeps.packageDependencies(module, work));
            for (Set<String> cycle : cycles) {
                report.append(module.name()).append(": ").append(cycle).append('\n');
            }
        }
        assertThat(report.toString()).as("package cycles").isEmpty();
    }

    @Test
    void exportedTypesExposeOnlyExportedOrJdkTypes() {
        StringBuilder report = new StringBuilder();
        for (ShippedModule module : MODULES) {
            for (String v : ApiExposure.violations(module, MODULES, Jdeps.apiDependencies(module, work))) {
                report.append(module.name()).append(": ").append(v).append('\n');
            }
        }
        assertThat(report.toString()).as("API types exposing unexported types").isEmpty();
    }

    /** Exports only what the API guidelines list, so a new export is a deliberate change. */
    @Test
    void theExportedPackagesAreTheDocumentedOnes() {
        assertThat(exports("dev.scout.dht")).containsExactlyInAnyOrder(
                "dev.scout.dht", "dev.scout.dht.bencode", "dev.scout.dht.udp");
        assertThat(exports("dev.scout.core")).containsExactlyInAnyOrder(
                "dev.scout.core", "dev.scout.core.crypto", "dev.scout.core.message");
        assertThat(exports("dev.scout.app")).containsExactlyInAnyOrder("dev.scout.app");
        assertThat(exports("dev.scout.session")).containsExactlyInAnyOrder("dev.scout.session", "dev.scout.session.relay",
                "dev.scout.session.punch");
        assertThat(exports("dev.scout.node")).containsExactlyInAnyOrder("dev.scout.node");
        assertThat(exports("dev.scout.sqlite")).containsExactlyInAnyOrder("dev.scout.sqlite", "dev.scout.sqlite.error");
        assertThat(exports("dev.scout.cli")).isEmpty();
    }

    private static Set<String> exports(String module) {
        return MODULES.stream().filter(m -> m.name().equals(module)).findFirst().orElseThrow().exportedPackages();
    }
}
