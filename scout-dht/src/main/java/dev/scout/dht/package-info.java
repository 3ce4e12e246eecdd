/**
 * The vocabulary of the Mainline DHT that every Scout module shares: {@link dev.scout.dht.Dht} (the
 * asynchronous operations), {@link dev.scout.dht.NodeId} and {@link dev.scout.dht.NodeInfo}, BEP 44
 * {@link dev.scout.dht.ImmutableItem immutable} and {@link dev.scout.dht.MutableItem mutable} items,
 * Ed25519 {@link dev.scout.dht.Ed25519KeyPair key pairs} and {@link dev.scout.dht.Ed25519PublicKey
 * public keys}, {@link dev.scout.dht.DhtConfig}, results, and the {@link dev.scout.dht.ScoutException}
 * hierarchy. A node to run them on is {@link dev.scout.dht.udp.DhtNode}.
 *
 * <pre>{@code
 * Ed25519KeyPair keys = Ed25519KeyPair.generate();
 * MutableItem item = MutableItem.sign(keys, new byte[0], 1, ImmutableItem.ofText("v1").value());
 * PutResult put = dht.putMutable(item).get(60, TimeUnit.SECONDS);
 * MutableItem found = dht.getMutable(keys.publicKey(), new byte[0]).get(60, TimeUnit.SECONDS).orElseThrow();
 * String text = found.text();                                                 // "v1"
 * }</pre>
 */
package dev.scout.dht;
