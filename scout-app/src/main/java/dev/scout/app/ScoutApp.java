package dev.scout.app;

import dev.scout.core.RecordEntry;
import dev.scout.dht.ScoutException;
import dev.scout.core.Synchronizer;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.core.crypto.PairKeys;
import dev.scout.core.message.MessageId;
import dev.scout.core.message.MessageList;
import dev.scout.core.message.MessageSeal;
import dev.scout.dht.Dht;
import dev.scout.dht.DhtException;
import dev.scout.dht.ImmutableItem;
import dev.scout.dht.PutResult;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@code scout} application's logic on one device: keeping its entries in each contact record,
 * sending sealed messages down its outgoing lists, reading the contact devices' lists, and re-storing
 * what must outlive the DHT's two-hour expiry. {@code ScoutNode} (scout-node) and the {@code scout}
 * commands go through here; the record and message formats are in docs/app-format.md. Methods block
 * the calling thread (never a DHT thread): each is several DHT round trips in sequence whose results
 * are written to the store in between, so a blocking call is the honest shape; {@code ScoutNode}
 * offers the same verbs as {@code CompletableFuture}s. Failures are reported as {@link ScoutException}s or {@link DhtException}s with a
 * one-line message. State changes are written to the {@link AppStore} before they are reported.
 *
 * <p>Thread-safe: operations on one contact (synchronize, send, inbox) run one at a time, so a daemon's
 * poll and requests from its local API never race each other's record writes; different contacts
 * proceed in parallel.
 *
 * <pre>{@code
 * try (DhtNode node = DhtNode.start(config)) {
 *     AppStore store = myStore;                  // an application's own storage
 *     ScoutApp app = new ScoutApp(store, node, () -> List.of());
 *     app.send(store.contact("bob"), "hello");
 *     List<ReceivedMessage> news = app.inbox(store.contact("bob"));
 * }
 * }</pre>
 */
public final class ScoutApp {

    private final AppStore store;
    private final Dht dht;
    private final Synchronizer synchronizer;
    private final InboxWalk walk;
    private final Supplier<List<InetSocketAddress>> addresses;
    private final Clock clock;
    private final boolean keepPublishedDevice;
    private final RecordSync recordSync;
    private final ContactLocks locks = new ContactLocks();

    /**
     * An app on the system clock.
     *
     * @param store this installation's state; the app writes to it before reporting a change
     * @param dht the DHT to publish and read through (e.g. a started {@code DhtNode}); not closed by the app
     * @param addresses this device's reachable addresses, best first (external address, then LAN); asked
     *                  on each synchronize, from the calling thread
     */
    public ScoutApp(AppStore store, Dht dht, Supplier<List<InetSocketAddress>> addresses) {
        this(store, dht, new Synchronizer(dht), addresses, Clock.systemUTC());
    }

    /**
     * An app with its own record synchronizer and clock (tests, simulations).
     *
     * @param store this installation's state
     * @param dht the DHT to publish and read through; not closed by the app
     * @param synchronizer reads and writes the contact records on {@code dht}
     * @param addresses this device's reachable addresses, best first
     * @param clock the time of messages sent
     */
    public ScoutApp(AppStore store, Dht dht, Synchronizer synchronizer, Supplier<List<InetSocketAddress>> addresses,
                    Clock clock) {
        this(store, dht, synchronizer, addresses, clock, false);
    }

    private ScoutApp(AppStore store, Dht dht, Synchronizer synchronizer, Supplier<List<InetSocketAddress>> addresses,
                     Clock clock, boolean keepPublishedDevice) {
        this.keepPublishedDevice = keepPublishedDevice;
        this.store = Objects.requireNonNull(store);
        this.dht = Objects.requireNonNull(dht);
        this.synchronizer = synchronizer;
        this.walk = new InboxWalk(new MessageList(dht));
        this.addresses = addresses;
        this.clock = clock;
        this.recordSync = new RecordSync(this.store, synchronizer, addresses, clock, keepPublishedDevice);
    }

    /**
     * This app for a short-lived process that does not own the device's address: an existing device
     * entry of this device is left as it is (the address a daemon published stays), and one is written
     * only when the record has none yet.
     *
     * @return a new app sharing this one's store, DHT, synchronizer and clock (not its per-contact locks)
     */
    public ScoutApp keepingPublishedDevice() {
        return new ScoutApp(store, dht, synchronizer, addresses, clock, true);
    }

    /**
     * A contact's device as its entries in the shared record describe it.
     *
     * @param tag the device's 23-bit tag
     * @param name its name ("" if it has no device entry)
     * @param addresses its published addresses, best first (empty if none)
     * @param outboxHead the newest message on its list to us, {@link MessageId#END} if none
     * @param readMarks how far it has read each of our devices' lists
     * @param updatedAt the device entry's {@code u}: when its addresses or name last changed, Unix seconds
     *                  (0 if not given)
     */
    public record ContactDevice(int tag, String name, List<InetSocketAddress> addresses, MessageId outboxHead,
                                List<ReadMark> readMarks, long updatedAt) {
    }

    /**
     * The outcome of a synchronize.
     *
     * @param contact the contact synchronized with
     * @param devices the contact's devices, by tag
     * @param seq     the record's seq after this write
     * @param stored  how many DHT nodes stored it
     * @param changed entries the contact's side changed since the last synchronize
     */
    public record SyncReport(Contact contact, List<ContactDevice> devices, long seq, int stored, int changed) {
    }

    /**
     * A message this device sent.
     *
     * @param contact the recipient
     * @param id the message's id (its immutable item's target)
     * @param stored how many DHT nodes stored the message
     * @param recordSeq the shared record's seq after publishing the new list head
     */
    public record SendReport(Contact contact, MessageId id, int stored, long recordSeq) {
    }

    /**
     * What an inbox found for one contact.
     *
     * @param contact the contact read from
     * @param received the messages new to this device, each device's oldest first
     * @param problems one-line notes (missing or unreadable messages); the walk goes on past them
     */
    public record InboxReport(Contact contact, List<ReceivedMessage> received, List<String> problems) {
    }

    private Ed25519KeyPair identity() {
        return store.requireIdentity();
    }

    private PairKeys keys(Contact contact) {
        return PairKeys.derive(identity(), contact.publicKey());
    }

    /**
     * Writes this device's entries (addresses, outbox head, read marks) into the record shared with
     * {@code contact}, merges the contact's, stores the result and marks as delivered whatever the
     * contact has read.
     *
     * @param contact the contact
     * @return what the record says after the write
     */
    public SyncReport sync(Contact contact) {
        return sync(contact, false);
    }

    /**
     * As {@link #sync(Contact)}. Unless {@code force}, the record is first only read, and written only
     * when it lacks something of ours: a poll that finds nothing new costs one lookup and no write (and
     * races less with the other side's writes). {@code force} always writes, which re-stores the record.
     *
     * @param contact the contact
     * @param force write even if the record already has all of ours
     * @return what the record says now
     */
    public SyncReport sync(Contact contact, boolean force) {
        return locks.locked(contact, () -> recordSync.sync(contact, force));
    }

    /**
     * The devices one side's entries describe; a device with any entry is listed.
     *
     * @param entries a contact record's entries
     * @param side 0 or 1 (see {@link AppEntries#side})
     * @return the devices of {@code side}, in tag order
     */
    public static List<ContactDevice> devicesOf(List<RecordEntry> entries, int side) {
        return ContactDevices.of(entries, side);
    }

    /**
     * Seals {@code text} with the pair's message key, chains it on this device's list to {@code contact}
     * (durably, before anything is sent), stores it in the DHT and publishes the new list head.
     *
     * @param contact the recipient
     * @param text the message; at most {@link AppEntries#maxTextBytes} UTF-8 bytes
     * @return where the message went
     * @throws dev.scout.dht.LimitExceededException if {@code text} is too long (nothing is saved)
     * @throws DhtException if no DHT node stored the message (it stays saved and is re-stored later)
     */
    public SendReport send(Contact contact, String text) {
        return locks.locked(contact, () -> sendLocked(contact, text));
    }

    private SendReport sendLocked(Contact contact, String text) {
        long now = clock.millis();
        byte[] body = AppEntries.encodeMessage(text, now);
        if (body.length > MessageSeal.MAX_BODY_BYTES) {
            int max = AppEntries.maxTextBytes(now);
            throw new dev.scout.dht.LimitExceededException("message is "
                    + (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length - max)
                    + " bytes too long (at most " + max + " bytes of UTF-8 text)");
        }
        byte[] sealed = MessageSeal.seal(keys(contact), body);
        OutgoingMessage sent = store.pushOutgoing(contact.name(), sealed);
        PutResult put = DhtWait.await(dht.putImmutable(ImmutableItem.ofBencoded(sent.value())), "storing the message");
        if (put.stored() == 0) {
            throw new DhtException("the message was saved but no DHT node stored it; `scout daemon` will store it "
                    + "again (it re-stores every message not yet read)");
        }
        store.markStored(contact.name(), sent.id());
        SyncReport report = sync(contact);
        return new SendReport(contact, sent.id(), put.stored(), report.seq());
    }

    /**
     * Synchronizes with {@code contact}, reads every contact device's list down to what this device had
     * fetched, opens and records the new messages (oldest first), unread. Nothing is marked read: that is
     * the user's doing ({@link #markRead}).
     *
     * @param contact the contact to read from
     * @return the new messages and any problems met
     */
    public InboxReport inbox(Contact contact) {
        return locks.locked(contact, () -> inboxLocked(contact));
    }

    private InboxReport inboxLocked(Contact contact) {
        SyncReport report = sync(contact);
        PairKeys keys = keys(contact);
        Map<Integer, MessageId> fetched = new HashMap<>();
        for (ReadMark m : store.fetchMarks(contact.name())) {
            fetched.put(m.deviceTag(), m.messageId());
        }
        List<IncomingMessage> incoming = new ArrayList<>();
        List<ReadMark> newMarks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (ContactDevice device : report.devices()) {
            MessageId head = device.outboxHead();
            MessageId stopAt = fetched.getOrDefault(device.tag(), MessageId.END);
            if (head.isEnd() || head.equals(stopAt)) {
                continue;
            }
            incoming.addAll(walk.newMessages(contact, device, stopAt, keys, problems));
            newMarks.add(new ReadMark(device.tag(), head));
        }
        List<ReceivedMessage> added = store.addReceived(contact.name(), incoming, newMarks);
        return new InboxReport(contact, added, problems);
    }

    /**
     * Records that the user has read the contact's messages up to {@code marks} and publishes the marks
     * in the shared record, so the contact sees them read and stops re-storing them. The marks are
     * recorded first; if publishing fails, the next synchronization publishes them.
     *
     * @param contact the contact whose messages were read
     * @param marks the new read marks, one per contact device at most
     * @return problems met publishing (empty when the marks are in the record)
     */
    public List<String> markRead(Contact contact, List<ReadMark> marks) {
        return locks.locked(contact, () -> {
            store.markRead(contact.name(), marks);
            try {
                sync(contact);
                return List.of();
            } catch (RuntimeException e) {
                return List.of("read marks will be published later: " + e.getMessage());
            }
        });
    }

    /**
     * Re-stores everything of ours that must stay findable: each contact record (by synchronizing it)
     * and every message the contact has not read yet. A failure is logged and the others go on.
     *
     * @return how many items were re-stored
     */
    public int republish() {
        return Republisher.republish(store, dht, contact -> sync(contact, true));
    }

    /**
     * As {@link #republish()}, for one contact: the record shared with it and the messages to it it has
     * not read yet (a daemon spreads its republishing over the hour this way).
     *
     * @param contact the contact
     * @return how many items were re-stored
     */
    public int republish(Contact contact) {
        return Republisher.republish(store, dht, c -> sync(c, true), List.of(contact));
    }

    /**
     * Writes (or replaces) this device's entry of {@code kind} in the record shared with {@code contact}
     * and stores the record: how a kind this class does not interpret (e.g. a connect intent) is published.
     *
     * @param contact the contact whose record to write
     * @param kind the entry kind ({@link AppEntries} constants)
     * @param content the entry content, at most {@link RecordEntry#MAX_CONTENT_BYTES} bytes
     * @return what the record says after the write
     */
    public SyncReport publishEntry(Contact contact, int kind, byte[] content) {
        return locks.locked(contact, () -> recordSync.publish(contact, java.util.Map.of(kind, content)));
    }

    /**
     * Writes several of this device's own entries (one per kind) into the contact's record at once: one
     * synchronize for all of them (the relay entries, kinds 5 and 6: docs/app-format.md).
     *
     * @param contact the contact
     * @param byKind  entry content by kind, written in the map's order
     * @return the synchronize's report
     */
    public SyncReport publishEntries(Contact contact, java.util.Map<Integer, byte[]> byKind) {
        return locks.locked(contact, () -> recordSync.publish(contact, byKind));
    }

    /**
     * Reads the record as it is now (one read, no write).
     *
     * @param contact the contact
     * @return the contact's side's live entries; empty if no record was found
     */
    public List<RecordEntry> peekEntries(Contact contact) {
        int side = AppEntries.side(identity().publicKey(), contact.publicKey());
        return DhtWait.await(synchronizer.read(keys(contact), new byte[0]), "reading the record")
                .map(r -> r.entries().stream().filter(e -> !e.isDeleted() && AppEntries.sideOf(e.id()) == 1 - side).toList())
                .orElse(List.of());
    }

    /**
     * The contact's side's live entries as the last synchronize stored them (every poll refreshes
     * them); no network. What {@link #peekEntries} reads from the DHT, without the lookup.
     *
     * @param contact the contact
     * @return its side's live entries; empty if the record was never read
     */
    public List<RecordEntry> storedEntries(Contact contact) {
        int side = AppEntries.side(identity().publicKey(), contact.publicKey());
        return store.entries(contact.name()).stream().filter(e -> !e.isDeleted() && AppEntries.sideOf(e.id()) == 1 - side)
                .toList();
    }

    /**
     * A contact's devices as the stored entries (the last synchronize) describe them; no network.
     *
     * @param contact the contact
     * @return its devices, in tag order
     */
    public List<ContactDevice> storedDevices(Contact contact) {
        int side = AppEntries.side(identity().publicKey(), contact.publicKey());
        return devicesOf(store.entries(contact.name()), 1 - side);
    }

    /**
     * Reads a contact's devices from the current record, without writing.
     *
     * @param contact the contact
     * @return its devices in tag order, or empty if no record was found
     */
    public Optional<List<ContactDevice>> peek(Contact contact) {
        int side = AppEntries.side(identity().publicKey(), contact.publicKey());
        return DhtWait.await(synchronizer.read(keys(contact), new byte[0]), "reading the record")
                .map(r -> devicesOf(r.entries(), 1 - side));
    }
}
