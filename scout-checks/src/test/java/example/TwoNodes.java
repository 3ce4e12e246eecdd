package example;

import dev.scout.app.Contact;
import dev.scout.app.ReceivedMessage;
import dev.scout.dht.udp.LoopbackTestnet;
import dev.scout.node.ScoutNode;
import dev.scout.session.Session;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/** Alice and Bob know each other's key: they find each other's device and talk directly. */
public class TwoNodes {
    public static void main(String[] args) throws Exception {
        try (LoopbackTestnet testnet = LoopbackTestnet.start(20);     // on the real DHT: ScoutNode.builder().start()
             ScoutNode alice = ScoutNode.builder().testnet(testnet).start();
             ScoutNode bob = ScoutNode.builder().testnet(testnet).start()) {
            Contact bobForAlice = alice.contacts().add("bob", bob.publicKey());
            Contact aliceForBob = bob.contacts().add("alice", alice.publicKey());
            CompletableFuture<Integer> received = new CompletableFuture<>();
            bob.onSession(s -> s.session().acceptStream().thenAcceptAsync(stream -> {
                try {
                    received.complete(stream.input().readAllBytes().length);
                } catch (java.io.IOException e) {
                    received.completeExceptionally(e);
                }
            }));
            CompletableFuture<ReceivedMessage> heard = new CompletableFuture<>();
            bob.onMessage(heard::complete);                       // every new message, as Bob's node fetches it
            bob.sync(aliceForBob).join();                         // Bob publishes his device in their record
            System.out.println("Bob's device: " + alice.sync(bobForAlice).join().devices().get(0).addresses());
            alice.send(bobForAlice, "Hi Bob!").join();            // Alice's node pokes Bob's: it fetches at once
            bob.inbox(aliceForBob).join();                        // (or fetch now: either way onMessage hears it)
            ReceivedMessage m = heard.join();
            System.out.println(m.contact() + " wrote: " + m.text());
            Session session = alice.connect(bobForAlice).join();  // a direct, end-to-end encrypted session
            try (OutputStream out = session.openStream().output()) {
                out.write(new byte[1 << 20]);
            }
            System.out.println("Bob received " + received.join() + " bytes");
        }
    }
}
