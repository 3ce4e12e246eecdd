package example;

import dev.scout.dht.Dht;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.ImmutableItem;
import dev.scout.dht.MutableItem;
import dev.scout.dht.NodeId;
import dev.scout.dht.PutResult;
import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.bencode.BencodeLimits;
import dev.scout.dht.udp.DhtNode;
import dev.scout.dht.udp.LoopbackTestnet;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The examples of the package Javadoc of {@code dev.scout.dht}, {@code dev.scout.dht.udp} and
 * {@code dev.scout.dht.bencode} (regions checked by DocumentationExamplesTest).
 */
public final class DhtExamples {
    private DhtExamples() {}

    /** Prints the text read back. */
    public static void udp(PrintStream out) throws Exception {
        // region udp
        try (LoopbackTestnet testnet = LoopbackTestnet.start(10);
             DhtNode node = DhtNode.start(testnet.nodeConfig().build())) {
            node.bootstrapped().get(30, TimeUnit.SECONDS);
            NodeId target = node.putImmutable(ImmutableItem.ofText("hello")).get(60, TimeUnit.SECONDS).target();
            out.println(node.getImmutable(target).get(60, TimeUnit.SECONDS).orElseThrow().text()); // hello
        }
        // endregion
    }

    /** Returns the text read back and the put. */
    public static Map.Entry<String, PutResult> mutable(Dht dht) throws Exception {
        // region dht
        Ed25519KeyPair keys = Ed25519KeyPair.generate();
        MutableItem item = MutableItem.sign(keys, new byte[0], 1, ImmutableItem.ofText("v1").value());
        PutResult put = dht.putMutable(item).get(60, TimeUnit.SECONDS);
        MutableItem found = dht.getMutable(keys.publicKey(), new byte[0]).get(60, TimeUnit.SECONDS).orElseThrow();
        String text = found.text();                                                 // "v1"
        // endregion
        return Map.entry(text, put);
    }

    /** Returns the decoded value. */
    public static Object bencode() {
        // region bencode
        byte[] encoded = Bencode.encode(Bencode.dict("n", 42L, "name", Bencode.bytes("scout")));
        Object decoded = Bencode.decode(encoded, BencodeLimits.KRPC);  // a Map<String, Object>
        // endregion
        return decoded;
    }
}
