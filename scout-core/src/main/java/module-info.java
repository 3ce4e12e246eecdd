/**
 * Scout core: Ed25519 identities, X25519 key exchange, encrypted contact records merged by
 * {@code synchronize}, offline messages, and {@link dev.scout.core.DhtClient} to run them on the
 * Mainline DHT of {@code dev.scout.dht}.
 */
module dev.scout.core {
    requires transitive dev.scout.dht;
    requires org.bouncycastle.provider;
    requires org.slf4j;

    exports dev.scout.core;
    exports dev.scout.core.crypto;
    exports dev.scout.core.message;
}
