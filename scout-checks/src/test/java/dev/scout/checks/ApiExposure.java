package dev.scout.checks;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds exported API types whose public or protected signatures name a type that users cannot
 * reach: a class of a package no Scout module exports, or a third-party class. JDK types are fine.
 */
final class ApiExposure {
    private ApiExposure() {}

    /**
     * @param module  the module whose API is checked
     * @param modules every shipped module (to tell exported packages of the others)
     * @param edges   class-level API dependencies of {@code module} (from {@code jdeps -apionly})
     * @return one line per violation
     */
    static List<String> violations(ShippedModule module, List<ShippedModule> modules, List<Jdeps.Edge> edges) {
        List<String> out = new ArrayList<>();
        for (Jdeps.Edge e : edges) {
            if (!module.exportedPackages().contains(packageOf(e.from()))) {
                continue; // not API
            }
            String target = packageOf(e.to());
            if (target.startsWith("java.") || target.startsWith("javax.")) {
                continue;
            }
            ShippedModule owner = modules.stream().filter(m -> m.packages().contains(target)).findFirst().orElse(null);
            if (owner == null) {
                out.add(e.from() + " exposes " + e.to() + ", which is not a Scout or JDK type");
            } else if (!owner.exportedPackages().contains(target)) {
                out.add(e.from() + " exposes " + e.to() + ", in package " + target + " that "
                        + owner.name() + " does not export");
            }
        }
        return out;
    }

    static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }
}
