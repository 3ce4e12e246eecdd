package dev.scout.checks;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.zip.ZipEntry;

/**
 * Runs the JDK's {@code jdeps} in process. Each module's classes are copied without their
 * {@code module-info.class}, so jdeps analyses them as plain classes and needs none of their
 * dependencies: the module boundaries come from the descriptors, read separately.
 */
final class Jdeps {
    /** One dependency: from a class or package to another. */
    record Edge(String from, String to) {
    }

    private static final Pattern LINE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+.*$");

    private Jdeps() {}

    /** Package-level dependencies of every class of the module. */
    static List<Edge> packageDependencies(ShippedModule module, Path work) {
        return run(copyWithoutDescriptor(module, work), "-verbose:package", "-filter:none");
    }

    /**
     * Dependencies of public and protected signatures of public classes (supertypes, fields,
     * parameters, results, checked exceptions, generic arguments), class to class.
     */
    static List<Edge> apiDependencies(ShippedModule module, Path work) {
        return run(copyWithoutDescriptor(module, work), "-apionly", "-verbose:class", "-filter:none");
    }

    static List<Edge> parse(String output) {
        List<Edge> edges = new ArrayList<>();
        for (String line : output.split("\\R")) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                edges.add(new Edge(m.group(1), m.group(2)));
            }
        }
        return edges;
    }

    private static List<Edge> run(Path classes, String... options) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new IllegalStateException("this JDK has no jdeps (module jdk.jdeps)"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[options.length + 1];
        System.arraycopy(options, 0, args, 0, options.length);
        args[options.length] = classes.toString();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), args);
        if (status != 0) {
            throw new IllegalStateException("jdeps failed (" + status + "): " + err + out);
        }
        List<Edge> edges = parse(out.toString());
        if (edges.isEmpty()) {
            throw new IllegalStateException("jdeps reported no dependencies for " + classes + ": " + out + err);
        }
        return edges;
    }

    private static Path copyWithoutDescriptor(ShippedModule module, Path work) {
        try {
            Path target = Files.createTempDirectory(work, module.name());
            if (Files.isDirectory(module.location())) {
                try (var files = Files.walk(module.location())) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Path rel = module.location().relativize(f);
                        if (Files.isRegularFile(f) && f.toString().endsWith(".class")
                                && !rel.toString().equals("module-info.class")) {
                            Files.createDirectories(target.resolve(rel).getParent());
                            Files.copy(f, target.resolve(rel));
                        }
                    }
                }
            } else {
                try (JarFile jar = new JarFile(module.location().toFile())) {
                    for (java.util.jar.JarEntry e : (Iterable<java.util.jar.JarEntry>) jar.stream()::iterator) {
                        if (e.getName().endsWith(".class") && !e.getName().endsWith("module-info.class")
                                && !e.getName().startsWith("META-INF/")) {
                            Path out = target.resolve(e.getName());
                            Files.createDirectories(out.getParent());
                            try (InputStream in = jar.getInputStream(e)) {
                                Files.copy(in, out);
                            }
                        }
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
