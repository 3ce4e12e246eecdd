package example;

import static java.nio.charset.StandardCharsets.UTF_8;

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
import dev.scout.dht.DhtConfig;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The examples of the package Javadoc of {@code dev.scout.core}, {@code dev.scout.core.crypto} and
 * {@code dev.scout.core.message}: each region between {@code // region NAME} and {@code // endregion}
 * appears verbatim there (checked by DocumentationExamplesTest) and runs in the tests.
 */
public final class AliceAndBob {
    private AliceAndBob() {}

    /** Three sessions in turn, as on three machines; {@code config} names the DHT to join. */
    public static void aliceAndBob(DhtConfig config, PrintStream out) throws Exception {
        // region alice-and-bob
        // Each of them, once: a key pair. Keep the seed secret; share the public key.
        Ed25519KeyPair alice = Ed25519KeyPair.generate();
        Ed25519KeyPair bob = Ed25519KeyPair.generate();
        String alicesCard = alice.publicKey().toZBase32();        // e.g. shown as text or a QR code
        String bobsCard = bob.publicKey().toZBase32();

        // Each side derives the same pair keys from its own key pair and the other's public key.
        PairKeys aliceSide = PairKeys.derive(alice, Ed25519PublicKey.parse(bobsCard));
        PairKeys bobSide = PairKeys.derive(bob, Ed25519PublicKey.parse(alicesCard));

        // Alice: join the DHT, publish her address in the record she shares with Bob.
        List<RecordEntry> aliceEntries;                            // persist them between runs
        try (DhtClient session = DhtClient.start(config)) {
            session.bootstrapped().get(30, TimeUnit.SECONDS);
            List<RecordEntry> mine = List.of(RecordEntry.of(1, "203.0.113.7:4000".getBytes(UTF_8)));
            SyncResult written = session.synchronize(aliceSide, mine, SyncListener.NONE)
                    .get(60, TimeUnit.SECONDS);
            aliceEntries = written.entries();
        }

        // Bob (another machine): leave Alice a message and point the record at it.
        try (DhtClient session = DhtClient.start(config)) {
            session.bootstrapped().get(30, TimeUnit.SECONDS);
            ListHead outbox = new ListHead();                      // persist outbox.head() between runs
            ListToken token = outbox.pushFront(MessageSeal.seal(bobSide, "see you at 8".getBytes(UTF_8)));
            session.putMessage(token).get(60, TimeUnit.SECONDS);

            List<RecordEntry> bobEntries = List.of(RecordEntry.of(2, outbox.head().bytes())); // Bob's list head
            session.synchronize(bobSide, bobEntries, new SyncListener() {
                @Override
                public void entryUpdated(RecordEntry entry) {
                    if (entry.id() == 1) {
                        out.println("Alice is at " + new String(entry.content(), UTF_8));
                    }
                }
            }).get(60, TimeUnit.SECONDS);
        }

        // Alice, later: synchronize, find Bob's list head, read new messages newest first.
        MessageId lastReadFromBob = MessageId.END;                 // persist it between runs
        try (DhtClient session = DhtClient.start(config)) {
            session.bootstrapped().get(30, TimeUnit.SECONDS);
            SyncResult synced = session.synchronize(aliceSide, aliceEntries, SyncListener.NONE)
                    .get(60, TimeUnit.SECONDS);
            for (RecordEntry e : synced.entries()) {
                if (e.id() == 2 && !e.isDeleted()) {
                    MessageId bobsHead = MessageId.of(e.content());
                    List<StoredMessage> inbox = session.walkMessages(bobsHead, lastReadFromBob, 100)
                            .get(60, TimeUnit.SECONDS);
                    for (StoredMessage m : inbox) {
                        out.println("Bob: " + new String(MessageSeal.open(aliceSide, m.message()), UTF_8));
                    }
                    lastReadFromBob = bobsHead;
                }
            }
        }
        // endregion
    }

    /** The package Javadoc of {@code dev.scout.core.crypto}. */
    public static PairKeys crypto(String friendKeyText) {
        // region crypto
        Ed25519KeyPair me = Ed25519KeyPair.generate();
        PairKeys keys = PairKeys.derive(me, Ed25519PublicKey.parse(friendKeyText));
        // endregion
        return keys;
    }

    /** The package Javadoc of {@code dev.scout.core.message}. */
    public static ListToken message(PairKeys keys, ListHead head) {
        // region message
        ListToken token = head.pushFront(MessageSeal.seal(keys, "body".getBytes(UTF_8)));
        // endregion
        return token;
    }
}
