package dev.scout.cli.common;

import picocli.CommandLine;

/** {@code --version}: the POM's version, written into {@code version.properties} at build time. */
public final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"scout " + version()};
    }

    /** This build's version (the project version from the POM), or "unknown" when run from unfiltered sources. */
    public static String version() {
        try (java.io.InputStream in = Version.class.getResourceAsStream("/dev/scout/cli/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
