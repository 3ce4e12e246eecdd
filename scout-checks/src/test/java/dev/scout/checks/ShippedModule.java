package dev.scout.checks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;

/**
 * A named Scout module found on the test class path: its classes (a directory or a jar) and its
 * descriptor.
 */
record ShippedModule(String name, Path location, ModuleDescriptor descriptor) {
    static final String PREFIX = "dev.scout.";

    /** Every {@code dev.scout.*} module on this JVM's class path. */
    static List<ShippedModule> onClassPath() {
        List<ShippedModule> found = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            ModuleDescriptor d = descriptor(path);
            if (d != null && d.name().startsWith(PREFIX)) {
                found.add(new ShippedModule(d.name(), path, d));
            }
        }
        return found;
    }

    private static ModuleDescriptor descriptor(Path path) {
        try {
            if (Files.isDirectory(path)) {
                Path info = path.resolve("module-info.class");
                if (!Files.exists(info)) {
                    return null;
                }
                try (InputStream in = Files.newInputStream(info)) {
                    return ModuleDescriptor.read(in, () -> packagesOf(path));
                }
            }
            if (Files.isRegularFile(path) && path.toString().endsWith(".jar")) {
                try (JarFile jar = new JarFile(path.toFile())) {
                    ZipEntry info = jar.getEntry("module-info.class");
                    if (info == null) {
                        return null;
                    }
                    try (InputStream in = jar.getInputStream(info)) {
                        return ModuleDescriptor.read(in, () -> jar.stream()
                                .map(ZipEntry::getName)
                                .filter(n -> n.endsWith(".class") && n.contains("/"))
                                .map(n -> n.substring(0, n.lastIndexOf('/')).replace('/', '.'))
                                .collect(Collectors.toSet()));
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> packagesOf(Path classes) {
        try (var files = Files.walk(classes)) {
            return files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().equals("module-info.class"))
                    .map(f -> classes.relativize(f.getParent()).toString().replace(java.io.File.separatorChar, '.'))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Packages exported to everyone (qualified exports are not API). */
    Set<String> exportedPackages() {
        return descriptor.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
    }

    Set<String> packages() {
        return descriptor.packages();
    }
}
