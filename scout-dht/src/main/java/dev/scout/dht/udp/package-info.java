/**
 * DHT nodes on real UDP sockets: {@link dev.scout.dht.udp.DhtNode}, and
 * {@link dev.scout.dht.udp.LoopbackTestnet}, a small DHT on 127.0.0.1 to test your own code against.
 *
 * <pre>{@code
 * try (LoopbackTestnet testnet = LoopbackTestnet.start(10);
 *      DhtNode node = DhtNode.start(testnet.nodeConfig().build())) {
 *     node.bootstrapped().get(30, TimeUnit.SECONDS);
 *     NodeId target = node.putImmutable(ImmutableItem.ofText("hello")).get(60, TimeUnit.SECONDS).target();
 *     out.println(node.getImmutable(target).get(60, TimeUnit.SECONDS).orElseThrow().text()); // hello
 * }
 * }</pre>
 */
package dev.scout.dht.udp;
