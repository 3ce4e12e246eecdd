package dev.scout.sqlite;

import dev.scout.sqlite.db.ContactRepository;
import dev.scout.sqlite.db.Database;
import dev.scout.sqlite.db.EntryRepository;
import dev.scout.sqlite.db.IdentityFile;
import dev.scout.sqlite.db.OutboxRepository;
import dev.scout.sqlite.db.RoutingTableRepository;
import dev.scout.sqlite.error.StateException;
import dev.scout.node.NodeStore;
import dev.scout.app.Contact;
import dev.scout.app.IncomingMessage;
import dev.scout.app.OutgoingMessage;
import dev.scout.app.ReadMark;
import dev.scout.app.ReceivedMessage;
import dev.scout.core.RecordEntry;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.core.message.ListToken;
import dev.scout.core.message.MessageId;
import dev.scout.dht.RoutingTableStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The CLI's durable state in its state directory: the identity seed in {@code identity.key}
 * and everything else in the SQLite database {@code scout.db}.
 *
 * <h2>Durability</h2>
 * The directory is mode 0700, both files 0600 (created so from the start; looser existing
 * permissions are tightened and reported in {@link #warnings()}). The database runs in WAL mode
 * with {@code synchronous=FULL}: once a method returns, its change survives a killed process or a
 * power cut. Every public method is one transaction; methods that change several rows change
 * all or none. Writes take the write lock up front ({@code BEGIN IMMEDIATE}) and wait up to
 * {@value #BUSY_TIMEOUT_MILLIS} ms for another process (the daemon and a one-shot command may share
 * the directory), so concurrent writers never interleave inside a transaction.
 *
 * <h2>Threads</h2>
 * One connection per store; every method is {@code synchronized}. Close it when done.
 *
 * <h2>Contacts and their data</h2>
 * Contact names are 1–64 ASCII letters, digits, '-', '_' or '.', unique case-insensitively, and
 * looked up case-insensitively; records returned carry the name as it was added.
 * {@link #removeContact} deletes the contact <em>and everything stored for it</em>: record
 * entries, outbox head, outgoing and received messages, read marks. Keeping them would leave
 * messages nobody can re-attach (re-adding the key starts a fresh outbox), and an orphaned
 * undelivered outbox would be re-stored by the daemon forever.
 *
 * <h2>Ed25519KeyPair changes</h2>
 * Record entries, outgoing messages, outbox heads and read marks belong to the pair (own identity,
 * contact): they are sealed and signed with keys derived from it. When the identity is replaced
 * ({@link #initIdentity} with {@code force}), that pair state is cleared (contacts, received
 * messages, settings and the routing table are kept). The database remembers which public key its
 * pair state belongs to, so a crash between writing the new key and clearing is repaired at the
 * next {@link #open}.
 *
 * <pre>{@code
 * try (StateStore state = StateStore.open(stateDir)) {
 *     state.warnings().forEach(System.err::println);
 *     Ed25519KeyPair me = state.initIdentity(null, false).identity();
 *     state.addContact("alice", Ed25519PublicKey.parse(text));
 *     OutgoingMessage sent = state.pushOutgoing("alice", sealed);   // then put sent.value()
 * }
 * }</pre>
 */
public final class StateStore implements NodeStore, AutoCloseable {
    /** The database file in the state directory. */
    public static final String DATABASE_FILE = Database.FILE;
    /** The identity file in the state directory. */
    public static final String IDENTITY_FILE = IdentityFile.NAME;
    /** How long a write waits for another process holding the database's write lock. */
    public static final int BUSY_TIMEOUT_MILLIS = 10_000;

    /** Setting: this installation's 23-bit device tag (decimal). */
    public static final String SETTING_DEVICE_TAG = "device.tag";
    /** Setting: this installation's device name (defaults to the host name). */
    public static final String SETTING_DEVICE_NAME = "device.name";
    /** Setting (internal): hex public key of the identity the pair state belongs to. */
    static final String SETTING_PAIR_OWNER = "identity.public_key";

    /** Longest device name in UTF-8 bytes (docs/app-format.md: {@code n} ≤ 32 bytes). */
    public static final int MAX_DEVICE_NAME_BYTES = 32;
    /** Longest setting or status key. */
    public static final int MAX_KEY_CHARS = 128;

    static final String STATUS_LAST_REPUBLISH = "last_republish";
    static final String STATUS_LAST_POLL = "last_poll";
    static final String STATUS_ROUTING_TABLE_SIZE = "routing_table_size";
    static final String STATUS_EXTERNAL_ADDRESS = "external_address";

    private final IdentityRepository identities;
    private final SettingsRepository settings;
    private final ContactRepository contactRepository;
    private final EntryRepository entryRepository;
    private final OutboxRepository outbox;
    private final InboxRepository inbox;
    private final SentRepository sent;
    private final RoutingTableRepository routing;
    private final DaemonStatusRepository status;
    private final Database db;

    private StateStore(Database db) {
        this.db = db;
        this.identities = new IdentityRepository(db);
        this.settings = new SettingsRepository(db);
        this.contactRepository = new ContactRepository(db);
        this.entryRepository = new EntryRepository(db);
        this.outbox = new OutboxRepository(db);
        this.inbox = new InboxRepository(db);
        this.sent = new SentRepository(db);
        this.routing = new RoutingTableRepository(db);
        this.status = new DaemonStatusRepository(db);
    }

    /** Opens (creating if needed) the state in {@code directory}, with the system clock. */
    public static StateStore open(Path directory) {
        return open(directory, Clock.systemUTC());
    }

    /**
     * Opens (creating if needed) the state in {@code directory}: creates the directory (0700) and
     * database (0600), tightens looser permissions, migrates the schema.
     *
     * @param clock the source of the "added", "created" and "received" times
     * @throws StateException if the directory or database cannot be used
     */
    public static StateStore open(Path directory, Clock clock) {
        return open(directory, clock, BUSY_TIMEOUT_MILLIS);
    }

    /** {@link #open(Path, Clock)} with another busy timeout (tests). */
    static StateStore open(Path directory, Clock clock, int busyTimeoutMillis) {
        Database db = Database.open(directory, clock, busyTimeoutMillis);
        try {
            StateStore store = new StateStore(db);
            store.identities.reconcileAtOpen();
            return store;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** The state directory (absolute). */
    public Path directory() {
        return db.directory();
    }

    /** The identity file. */
    public Path identityFile() {
        return db.identityFile();
    }

    /** The database file. */
    public Path databaseFile() {
        return db.databaseFile();
    }

    /** See {@link Database#warnings()}. */
    public List<String> warnings() {
        return db.warnings();
    }

    /** Closes the database connection; further calls fail with {@link StateException}. Idempotent. */
    @Override
    public void close() {
        db.close();
    }

    static String defaultDeviceName() {
        return SettingsRepository.defaultDeviceName();
    }

    /** See {@link IdentityRepository#identity}. */
    public Optional<Ed25519KeyPair> identity() {
        return identities.identity();
    }

    /** See {@link IdentityRepository#requireIdentity}. */
    @Override
    public Ed25519KeyPair requireIdentity() {
        return identities.requireIdentity();
    }

    /** See {@link IdentityRepository#initIdentity}. */
    public IdentityInit initIdentity(byte[] seed, boolean force) {
        return identities.initIdentity(seed, force);
    }

    /** See {@link SettingsRepository#deviceTag}. */
    @Override
    public int deviceTag() {
        return settings.deviceTag();
    }

    /** See {@link SettingsRepository#setDeviceTag}. */
    public void setDeviceTag(int tag) {
        settings.setDeviceTag(tag);
    }

    /** See {@link SettingsRepository#deviceName}. */
    @Override
    public String deviceName() {
        return settings.deviceName();
    }

    /** See {@link SettingsRepository#setDeviceName}. */
    public void setDeviceName(String name) {
        settings.setDeviceName(name);
    }

    /** See {@link SettingsRepository#setting}. */
    public Optional<String> setting(String key) {
        return settings.setting(key);
    }

    /** See {@link SettingsRepository#putSetting}. */
    public void putSetting(String key, String value) {
        settings.putSetting(key, value);
    }

    /** See {@link SettingsRepository#removeSetting}. */
    public boolean removeSetting(String key) {
        return settings.removeSetting(key);
    }

    /** See {@link ContactRepository#addContact}. */
    public Contact addContact(String name, Ed25519PublicKey publicKey) {
        return contactRepository.addContact(name, publicKey);
    }

    /** See {@link ContactRepository#contact}. */
    @Override
    public Contact contact(String name) {
        return contactRepository.contact(name);
    }

    /** See {@link ContactRepository#findContact}. */
    public Optional<Contact> findContact(String name) {
        return contactRepository.findContact(name);
    }

    /** See {@link ContactRepository#findContact}. */
    public Optional<Contact> findContact(Ed25519PublicKey publicKey) {
        return contactRepository.findContact(publicKey);
    }

    /** See {@link ContactRepository#contacts}. */
    @Override
    public List<Contact> contacts() {
        return contactRepository.contacts();
    }

    /** See {@link ContactRepository#removeContact}. */
    public void removeContact(String name) {
        contactRepository.removeContact(name);
    }

    /** See {@link EntryRepository#replaceEntries}. */
    @Override
    public void replaceEntries(String contact, Collection<RecordEntry> entries) {
        entryRepository.replaceEntries(contact, entries);
    }

    /** See {@link EntryRepository#entries}. */
    @Override
    public List<RecordEntry> entries(String contact) {
        return entryRepository.entries(contact);
    }

    /** See {@link OutboxRepository#outboxHead}. */
    @Override
    public MessageId outboxHead(String contact) {
        return outbox.outboxHead(contact);
    }

    /** See {@link OutboxRepository#pushOutgoing}. */
    @Override
    public OutgoingMessage pushOutgoing(String contact, byte[] message) {
        return outbox.pushOutgoing(contact, message);
    }

    /** See {@link OutboxRepository#recordSent}. */
    public OutgoingMessage recordSent(String contact, ListToken token) {
        return outbox.recordSent(contact, token);
    }

    /** See {@link OutboxRepository#outgoing}. */
    public List<OutgoingMessage> outgoing(String contact) {
        return outbox.outgoing(contact);
    }

    /** See {@link OutboxRepository#undelivered}. */
    @Override
    public List<OutgoingMessage> undelivered() {
        return outbox.undelivered();
    }

    /** See {@link OutboxRepository#undelivered}. */
    public List<OutgoingMessage> undelivered(String contact) {
        return outbox.undelivered(contact);
    }

    /** See {@link OutboxRepository#markDelivered}. */
    @Override
    public int markDelivered(String contact, MessageId upTo) {
        return outbox.markDelivered(contact, upTo);
    }

    /** See {@link InboxRepository#addReceived}. */
    @Override
    public List<ReceivedMessage> addReceived(String contact, List<IncomingMessage> messages, List<ReadMark> marks) {
        return inbox.addReceived(contact, messages, marks);
    }

    /** See {@link InboxRepository#markRead}. */
    @Override
    public void markRead(String contact, List<ReadMark> marks) {
        inbox.markRead(contact, marks);
    }

    /** Sent messages with their delivery state. */
    public SentRepository sent() {
        return sent;
    }

    /** See {@link SentRepository#markStored}. */
    @Override
    public void markStored(String contact, MessageId id) {
        sent.markStored(contact, id);
    }

    /** See {@link InboxRepository#fetchMarks}. */
    @Override
    public List<ReadMark> fetchMarks(String contact) {
        return inbox.fetchMarks(contact);
    }

    /** See {@link InboxRepository#marksUpTo}. */
    public List<ReadMark> marksUpTo(String contact, MessageId upTo) {
        return inbox.marksUpTo(contact, upTo);
    }

    /** See {@link InboxRepository#readMarks}. */
    @Override
    public List<ReadMark> readMarks(String contact) {
        return inbox.readMarks(contact);
    }

    /** See {@link InboxRepository#hasReceived}. */
    public boolean hasReceived(String contact, MessageId id) {
        return inbox.hasReceived(contact, id);
    }

    /** See {@link InboxRepository#received}. */
    public List<ReceivedMessage> received(ReceivedQuery query) {
        return inbox.received(query);
    }

    /** See {@link RoutingTableRepository#routingTableStore}. */
    public RoutingTableStore routingTableStore() {
        return routing.routingTableStore();
    }

    /** The daemon's status: what it last did and saw, as {@code scout status} shows it. */
    public DaemonStatusRepository status() {
        return status;
    }

    @Override
    public String toString() {
        return "StateStore[" + db.directory() + "]";
    }
}
