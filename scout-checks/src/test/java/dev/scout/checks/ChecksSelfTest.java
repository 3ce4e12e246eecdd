package dev.scout.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checks themselves catch what they are meant to catch. */
class ChecksSelfTest {

    @Test
    void aCycleThroughThreePackagesIsFound() {
        List<Jdeps.Edge> edges = Jdeps.parse("""
                   a.b                                  -> a.c                     x
                   a.c                                  -> a.d                     x
                   a.d                                  -> a.b                     x
                   a.d                                  -> java.lang               java.base
                   a.e                                  -> a.b                     x
                """);
        assertThat(edges).hasSize(5);
        assertThat(PackageCycles.find(Set.of("a.b", "a.c", "a.d", "a.e"), edges))
                .containsExactly(Set.of("a.b", "a.c", "a.d"));
        assertThat(PackageCycles.find(Set.of("a.b", "a.c", "a.e"), edges)).isEmpty();
    }

    @Test
    void anApiTypeNamingAnInternalOrThirdPartyTypeIsReported() {
        ShippedModule m = module("m", Set.of("m.api", "m.internal"), "m.api");
        ShippedModule other = module("o", Set.of("o.api", "o.hidden"), "o.api");
        List<Jdeps.Edge> edges = List.of(
                new Jdeps.Edge("m.api.A", "java.util.List"),
                new Jdeps.Edge("m.api.A", "o.api.B"),
                new Jdeps.Edge("m.api.A", "m.internal.C"),
                new Jdeps.Edge("m.api.A", "o.hidden.D"),
                new Jdeps.Edge("m.api.A", "org.thirdparty.E"),
                new Jdeps.Edge("m.internal.C", "m.internal.F"));
        assertThat(ApiExposure.violations(m, List.of(m, other), edges))
                .hasSize(3)
                .anyMatch(v -> v.contains("m.internal.C"))
                .anyMatch(v -> v.contains("o.hidden.D"))
                .anyMatch(v -> v.contains("org.thirdparty.E"));
    }

    private static ShippedModule module(String name, Set<String> packages, String exported) {
        ModuleDescriptor d = ModuleDescriptor.newModule(name).packages(packages).exports(exported).build();
        return new ShippedModule(name, Path.of("."), d);
    }
}
