/**
 * The Mainline DHT: a complete BEP 5/42/43/44 node driven by real UDP ({@link dev.scout.dht.udp.DhtNode}),
 * its vocabulary of ids, items, keys and results ({@link dev.scout.dht}), a bencode codec
 * ({@link dev.scout.dht.bencode}) and a loopback testnet for tests ({@link dev.scout.dht.udp.LoopbackTestnet}).
 * Everything else (KRPC, routing, lookups, storage, transports) is internal.
 */
module dev.scout.dht {
    requires org.bouncycastle.provider;
    requires org.slf4j;

    exports dev.scout.dht;
    exports dev.scout.dht.bencode;
    exports dev.scout.dht.udp;
}
