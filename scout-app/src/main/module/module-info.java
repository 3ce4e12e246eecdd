// Moves to src/main/java when dev.scout.core and dev.scout.dht are named modules (the `modules` branch):
// until then javac cannot resolve the requires below, so this module builds on the class path.

/** The {@code scout} application layer: device entries, outbox heads, read marks and the inbox walk. */
module dev.scout.app {
    requires transitive dev.scout.core;
    requires transitive dev.scout.dht;
    requires org.slf4j;

    exports dev.scout.app;
}
