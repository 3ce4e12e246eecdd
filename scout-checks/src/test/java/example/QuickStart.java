package example;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;

import dev.scout.core.DhtClient;
import dev.scout.core.RecordEntry;
import dev.scout.core.SyncListener;
import dev.scout.core.SyncResult;
import dev.scout.core.crypto.PairKeys;
import dev.scout.core.message.ListHead;
import dev.scout.core.message.ListToken;
import dev.scout.core.message.MessageId;
import dev.scout.core.message.MessageSeal;
import dev.scout.core.message.StoredMessage;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.dht.udp.LoopbackTestnet;
import java.util.List;

/** Alice finds Bob's address and reads his message, knowing nothing but his public key. */
public class QuickStart {
    public static void main(String[] args) throws Exception {
        Ed25519KeyPair alice = Ed25519KeyPair.generate();      // keep alice.seed() secret
        Ed25519KeyPair bob = Ed25519KeyPair.generate();
        Ed25519PublicKey bobsKey = Ed25519PublicKey.parse(bob.publicKey().toZBase32()); // all Alice is given
        PairKeys aliceSide = PairKeys.derive(alice, bobsKey);      // X25519 + HKDF: same keys on both sides
        PairKeys bobSide = PairKeys.derive(bob, alice.publicKey());

        // A 20-node DHT on 127.0.0.1. On the real Mainline DHT: DhtClient.start(DhtConfig.builder().build())
        try (LoopbackTestnet testnet = LoopbackTestnet.start(20);
             DhtClient bobs = DhtClient.start(testnet.nodeConfig().build());
             DhtClient alices = DhtClient.start(testnet.nodeConfig().build())) {
            bobs.bootstrapped().get(30, SECONDS);
            alices.bootstrapped().get(30, SECONDS);

            // Bob: a sealed message (an immutable item), then his address and his list head in the record.
            ListHead outbox = new ListHead();
            ListToken message = outbox.pushFront(MessageSeal.seal(bobSide, "Hi Alice!".getBytes(UTF_8)));
            bobs.putMessage(message).get(60, SECONDS);
            bobs.keepAlive(message);                               // re-stored hourly while the session runs
            List<RecordEntry> bobsEntries = List.of(
                    RecordEntry.of(1, "tcp://203.0.113.7:4000".getBytes(UTF_8)),
                    RecordEntry.of(2, outbox.head().bytes()));
            bobs.synchronize(bobSide, bobsEntries, SyncListener.NONE).get(60, SECONDS); // get, merge, put (cas)

            // Alice: synchronize the same record and follow it.
            SyncResult synced = alices.synchronize(aliceSide, List.of(), SyncListener.NONE).get(60, SECONDS);
            for (RecordEntry entry : synced.entries()) {
                if (entry.id() == 1) {
                    System.out.println("Bob is at " + new String(entry.content(), UTF_8));
                } else if (entry.id() == 2) {
                    MessageId head = MessageId.of(entry.content());
                    for (StoredMessage m : alices.walkMessages(head, MessageId.END, 10).get(60, SECONDS)) {
                        System.out.println("Bob wrote: " + new String(MessageSeal.open(aliceSide, m.message()), UTF_8));
                    }
                }
            }
        }
    }
}
