package example;

import dev.scout.app.Contact;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.node.ScoutNode;
import dev.scout.session.Session;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** The same on the real Mainline DHT: run it on two machines, each with its seed and the other's key. */
public class RealDht {
    public static void main(String[] args) throws Exception {
        Ed25519KeyPair me = Ed25519KeyPair.ofSeed(HexFormat.of().parseHex(args[0])); // keep the seed secret
        try (ScoutNode node = ScoutNode.builder().identity(me).start()) {           // the public DHT
            System.out.println("my key: " + node.publicKey().toZBase32());
            Contact friend = node.contacts().add("friend", Ed25519PublicKey.parse(args[1]));
            node.onMessage(m -> System.out.println(m.contact() + " wrote: " + m.text()));
            node.onSession(s -> System.out.println("session from " + s.contact() + " via " + s.via()));
            System.out.println("their devices: " + node.sync(friend).join().devices());
            node.send(friend, "hello from Scout").join();
            Session session = node.connect(friend).join();
            try (OutputStream out = session.openStream().output()) {
                out.write("hello, directly".getBytes(StandardCharsets.UTF_8));
            }
            session.close();
        }
    }
}
