package dev.scout.node;

import dev.scout.app.Contact;
import dev.scout.app.DeviceTags;
import dev.scout.app.IncomingMessage;
import dev.scout.app.OutgoingMessage;
import dev.scout.app.ReadMark;
import dev.scout.app.ReceivedMessage;
import dev.scout.core.RecordEntry;
import dev.scout.core.message.ListHead;
import dev.scout.core.message.ListToken;
import dev.scout.core.message.MessageId;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.dht.ScoutException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A {@link NodeStore} in memory: everything is lost when the process ends. The default of
 * {@link ScoutNodeBuilder}; right for tests and for programs that keep their own state. Thread-safe:
 * every method holds the store's lock, so each is atomic like a transaction.
 */
public final class InMemoryStore implements NodeStore {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Ed25519KeyPair identity;
    private final int deviceTag;
    private final String deviceName;
    /** By lower-case name: names are unique case-insensitively. */
    private final Map<String, ContactState> contacts = new TreeMap<>();
    private long nextSeq = 1;

    /** Everything kept for one contact. */
    private static final class ContactState {
        final Contact contact;
        List<RecordEntry> entries = List.of();
        final List<OutgoingMessage> outgoing = new ArrayList<>();
        final List<ReceivedMessage> received = new ArrayList<>();
        final Map<Integer, ReadMark> marks = new TreeMap<>();
        /** How far each device's list was fetched (where an inbox walk stops); marks are what the user read. */
        final Map<Integer, ReadMark> fetched = new TreeMap<>();
        final java.util.Set<MessageId> stored = new java.util.HashSet<>();

        ContactState(Contact contact) {
            this.contact = contact;
        }
    }

    /**
     * A store for {@code identity} with a random device tag and the device name {@code java}.
     *
     * @param identity this installation's identity
     */
    public InMemoryStore(Ed25519KeyPair identity) {
        this(identity, DeviceTags.random(), "java");
    }

    /**
     * A store for {@code identity} appearing to contacts as {@code deviceName}.
     *
     * @param identity   this installation's identity
     * @param deviceTag  its 23-bit device tag
     * @param deviceName the name shown to contacts (at most 32 UTF-8 bytes are published)
     * @throws IllegalArgumentException if the tag is not a 23-bit value
     */
    public InMemoryStore(Ed25519KeyPair identity, int deviceTag, String deviceName) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.deviceTag = DeviceTags.requireValid(deviceTag);
        this.deviceName = Objects.requireNonNull(deviceName, "deviceName");
    }

    @Override
    public Ed25519KeyPair requireIdentity() {
        return identity;
    }

    @Override
    public int deviceTag() {
        return deviceTag;
    }

    @Override
    public String deviceName() {
        return deviceName;
    }

    @Override
    public synchronized Contact addContact(String name, Ed25519PublicKey publicKey) {
        Objects.requireNonNull(publicKey, "publicKey");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ScoutException("invalid contact name " + name + ": use 1–64 letters, digits, '-', '_' or '.'");
        }
        if (publicKey.equals(identity.publicKey())) {
            throw new ScoutException("that key is this installation's own");
        }
        ContactState same = contacts.get(key(name));
        if (same != null) {
            throw new ScoutException("a contact named " + same.contact.name() + " exists already");
        }
        Optional<Contact> byKey = findContact(publicKey);
        if (byKey.isPresent()) {
            throw new ScoutException("that key is already the contact " + byKey.get().name());
        }
        Contact c = new Contact(name, publicKey, Instant.ofEpochMilli(System.currentTimeMillis()));
        contacts.put(key(name), new ContactState(c));
        return c;
    }

    @Override
    public synchronized void removeContact(String name) {
        state(name);
        contacts.remove(key(name));
    }

    @Override
    public synchronized Optional<Contact> findContact(Ed25519PublicKey publicKey) {
        return contacts.values().stream().map(s -> s.contact).filter(c -> c.publicKey().equals(publicKey)).findFirst();
    }

    @Override
    public synchronized List<Contact> contacts() {
        return contacts.values().stream().map(s -> s.contact).sorted(Comparator.comparing(Contact::name)).toList();
    }

    @Override
    public synchronized Contact contact(String name) {
        return state(name).contact;
    }

    @Override
    public synchronized List<RecordEntry> entries(String contact) {
        return state(contact).entries;
    }

    @Override
    public synchronized void replaceEntries(String contact, Collection<RecordEntry> entries) {
        List<RecordEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(RecordEntry::id));
        state(contact).entries = List.copyOf(sorted);
    }

    @Override
    public synchronized MessageId outboxHead(String contact) {
        List<OutgoingMessage> out = state(contact).outgoing;
        return out.isEmpty() ? MessageId.END : out.get(out.size() - 1).id();
    }

    @Override
    public synchronized OutgoingMessage pushOutgoing(String contact, byte[] sealed) {
        ContactState s = state(contact);
        ListToken token = new ListHead(outboxHead(contact)).pushFront(sealed);
        OutgoingMessage m = new OutgoingMessage(s.contact.name(), token.id(), token.next(), token.value(),
                Instant.ofEpochMilli(System.currentTimeMillis()), false);
        s.outgoing.add(m);
        return m;
    }

    @Override
    public synchronized List<OutgoingMessage> undelivered() {
        List<OutgoingMessage> out = new ArrayList<>();
        contacts.values().forEach(s -> s.outgoing.stream().filter(m -> !m.delivered()).forEach(out::add));
        out.sort(Comparator.comparing(OutgoingMessage::createdAt));
        return out;
    }

    @Override
    public synchronized int markDelivered(String contact, MessageId upTo) {
        List<OutgoingMessage> out = state(contact).outgoing;
        int at = -1;
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).id().equals(upTo)) {
                at = i;
            }
        }
        int changed = 0;
        for (int i = 0; i <= at; i++) {
            OutgoingMessage m = out.get(i);
            if (!m.delivered()) {
                out.set(i, new OutgoingMessage(m.contact(), m.id(), m.next(), m.value(), m.createdAt(), true));
                changed++;
            }
        }
        return changed;
    }

    @Override
    public synchronized List<ReadMark> readMarks(String contact) {
        return List.copyOf(state(contact).marks.values());
    }

    @Override
    public synchronized List<ReceivedMessage> addReceived(String contact, List<IncomingMessage> messages,
                                                          List<ReadMark> marks) {
        ContactState s = state(contact);
        List<Long> added = new ArrayList<>();
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        for (IncomingMessage m : messages) {
            if (s.received.stream().noneMatch(r -> r.id().equals(m.id()))) {
                long seq = nextSeq++;
                s.received.add(new ReceivedMessage(seq, s.contact.name(), m.deviceTag(), m.id(), m.text(), m.sentAt(),
                        now, false));
                added.add(seq);
            }
        }
        for (ReadMark mark : marks) {
            s.fetched.put(mark.deviceTag(), mark); // fetched, not read: the user reads with markRead
        }
        return s.received.stream().filter(r -> added.contains(r.seq())).toList();
    }

    @Override
    public synchronized List<ReadMark> fetchMarks(String contact) {
        return List.copyOf(state(contact).fetched.values());
    }

    @Override
    public synchronized void markRead(String contact, List<ReadMark> marks) {
        ContactState s = state(contact);
        for (ReadMark mark : marks) {
            applyMark(s, mark);
        }
    }

    @Override
    public synchronized void markStored(String contact, MessageId id) {
        state(contact).stored.add(id);
    }

    /** The device's messages up to the marked one become read; a mark never moves back. */
    private static void applyMark(ContactState s, ReadMark mark) {
        long upTo = s.received.stream().filter(r -> r.deviceTag() == mark.deviceTag() && r.id().equals(mark.messageId()))
                .mapToLong(ReceivedMessage::seq).findFirst().orElse(-1);
        ReadMark before = s.marks.get(mark.deviceTag());
        long beforeSeq = before == null ? -1 : s.received.stream()
                .filter(r -> r.deviceTag() == before.deviceTag() && r.id().equals(before.messageId()))
                .mapToLong(ReceivedMessage::seq).findFirst().orElse(-1);
        if (before != null && upTo <= beforeSeq) {
            return;
        }
        s.marks.put(mark.deviceTag(), mark);
        for (int i = 0; i < s.received.size(); i++) {
            ReceivedMessage r = s.received.get(i);
            if (r.deviceTag() == mark.deviceTag() && r.seq() <= upTo && !r.read()) {
                s.received.set(i, new ReceivedMessage(r.seq(), r.contact(), r.deviceTag(), r.id(), r.text(), r.sentAt(),
                        r.receivedAt(), true));
            }
        }
    }

    private ContactState state(String name) {
        ContactState s = name == null ? null : contacts.get(key(name));
        if (s == null) {
            throw new ScoutException("no contact named " + name);
        }
        return s;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "InMemoryStore[" + identity.publicKey().toZBase32() + "]";
    }
}
