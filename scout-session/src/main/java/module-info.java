/**
 * Direct sessions between two identities: a Noise IK handshake authenticated by their identity keys,
 * hole punching, and reliable, congestion-controlled streams, sharing the DHT node's UDP socket.
 * Relaying ({@code dev.scout.session.relay}) forwards sessions for peers no direct path reaches.
 * Birthday punching ({@code dev.scout.session.punch}) gets a direct path when exactly one side is
 * behind a symmetric NAT. Only {@code dev.scout.session}, {@code dev.scout.session.relay} and
 * {@code dev.scout.session.punch} are API; the wire formats and
 * transport machinery are internal.
 */
module dev.scout.session {
    requires transitive dev.scout.core;
    requires transitive dev.scout.dht;
    requires org.bouncycastle.provider;
    requires org.slf4j;

    exports dev.scout.session;
    exports dev.scout.session.relay;
    exports dev.scout.session.punch;
}
