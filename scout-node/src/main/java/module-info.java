/**
 * The whole job as a library: {@link dev.scout.node.ScoutNode} owns one identity's DHT node and socket,
 * its contacts and messages ({@link dev.scout.app.ScoutApp}), NAT awareness, rendezvous, relays and
 * sessions. Only {@code dev.scout.node} is API; the rendezvous, relay and NAT machinery is internal.
 */
module dev.scout.node {
    requires transitive dev.scout.app;
    requires transitive dev.scout.session;
    requires org.slf4j;

    exports dev.scout.node;
}
