/** The {@code scout} application layer: device entries, outbox heads, read marks and the inbox walk. */
module dev.scout.app {
    requires transitive dev.scout.core;
    requires transitive dev.scout.dht;
    requires org.slf4j;

    exports dev.scout.app;
}
