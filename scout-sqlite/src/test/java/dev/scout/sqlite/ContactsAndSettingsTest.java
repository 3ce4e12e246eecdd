package dev.scout.sqlite;

import dev.scout.sqlite.error.ContactConflictException;
import dev.scout.sqlite.error.InvalidContactNameException;
import dev.scout.sqlite.error.UnknownContactException;
import dev.scout.app.Contact;
import dev.scout.app.ReadMark;
import dev.scout.app.IncomingMessage;
import dev.scout.app.ReceivedMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.core.RecordEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Contacts, record entries and settings. */
class ContactsAndSettingsTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00.123Z");

    @TempDir
    Path tmp;

    private TestClock clock;

    @BeforeEach
    void setUp() {
        clock = new TestClock(T0);
    }

    private StateStore open() {
        return StateStore.open(tmp.resolve("state"), clock);
    }

    @Test
    void contactsRoundTrip() {
        try (StateStore store = open()) {
            Contact bob = store.addContact("bob", Keys.key(2));
            clock.advance(Duration.ofSeconds(5));
            store.addContact("Alice.W_1-x", Keys.key(1));
            assertThat(bob).isEqualTo(new Contact("bob", Keys.key(2), T0));
            assertThat(store.contact("bob")).isEqualTo(bob);
            assertThat(store.findContact(Keys.key(1)).map(Contact::name)).contains("Alice.W_1-x");
            assertThat(store.findContact("nobody")).isEmpty();
        }
        try (StateStore store = open()) {
            assertThat(store.contacts()).containsExactly(
                    new Contact("Alice.W_1-x", Keys.key(1), T0.plusSeconds(5)), new Contact("bob", Keys.key(2), T0));
            store.removeContact("bob");
            assertThat(store.contacts()).extracting(Contact::name).containsExactly("Alice.W_1-x");
        }
    }

    @Test
    void namesAreCaseInsensitiveButKeepTheirCase() {
        try (StateStore store = open()) {
            store.addContact("Bob", Keys.key(2));
            assertThat(store.contact("BOB").name()).isEqualTo("Bob");
            assertThatThrownBy(() -> store.addContact("bob", Keys.key(3)))
                    .isInstanceOf(ContactConflictException.class)
                    .hasMessage("a contact named Bob already exists with another public key (" + Keys.key(2).toZBase32() + ")");
            store.removeContact("bOb");
            assertThat(store.contacts()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "bob!", "x/y", "ümlaut", "tab\there", "new\nline", "semi;colon"})
    void invalidNamesAreRejected(String name) {
        try (StateStore store = open()) {
            assertThatThrownBy(() -> store.addContact(name, Keys.key(1)))
                    .isInstanceOf(InvalidContactNameException.class)
                    .hasMessageNotContaining("\n").hasMessageNotContaining("\t")
                    .hasMessageContaining(name.isEmpty() ? "must not be empty" : "letters, digits");
            assertThat(store.contacts()).isEmpty();
        }
    }

    @Test
    void nameLengthLimits() {
        try (StateStore store = open()) {
            String max = "n".repeat(64);
            store.addContact(max, Keys.key(1));
            assertThat(store.contact(max).name()).isEqualTo(max);
            assertThatThrownBy(() -> store.addContact("n".repeat(65), Keys.key(2)))
                    .isInstanceOf(InvalidContactNameException.class).hasMessageContaining("65 characters long, at most 64");
        }
    }

    @Test
    void theSameKeyUnderAnotherNameNamesTheExistingContact() {
        try (StateStore store = open()) {
            store.addContact("alice", Keys.key(1));
            assertThatThrownBy(() -> store.addContact("alice2", Keys.key(1)))
                    .isInstanceOf(ContactConflictException.class)
                    .hasMessage("public key " + Keys.key(1).toZBase32() + " is already the contact alice")
                    .extracting(e -> ((ContactConflictException) e).existingName()).isEqualTo("alice");
            // The same name and key again is not a conflict.
            assertThat(store.addContact("alice", Keys.key(1)).addedAt()).isEqualTo(T0);
            assertThat(store.contacts()).hasSize(1);
        }
    }

    @Test
    void unknownContactsAreATypedErrorEverywhere() {
        try (StateStore store = open()) {
            store.addContact("bob", Keys.key(2));
            List<Consumer<StateStore>> calls = List.of(
                    s -> s.contact("carol"),
                    s -> s.removeContact("carol"),
                    s -> s.entries("carol"),
                    s -> s.replaceEntries("carol", List.of()),
                    s -> s.outboxHead("carol"),
                    s -> s.pushOutgoing("carol", new byte[1]),
                    s -> s.outgoing("carol"),
                    s -> s.undelivered("carol"),
                    s -> s.markDelivered("carol", Keys.messageId(1)),
                    s -> s.addReceived("carol", List.of(), List.of()),
                    s -> s.markRead("carol", List.of()),
                    s -> s.readMarks("carol"),
                    s -> s.hasReceived("carol", Keys.messageId(1)),
                    s -> s.received(ReceivedQuery.all().contact("carol")));
            for (Consumer<StateStore> call : calls) {
                assertThatThrownBy(() -> call.accept(store)).isInstanceOf(UnknownContactException.class)
                        .hasMessage("unknown contact carol");
            }
            assertThatThrownBy(() -> store.contact("no body\n")).hasMessage("unknown contact 'no body\\u000a'");
        }
    }

    @Test
    void removingAContactRemovesEverythingStoredForIt() throws Exception {
        try (StateStore store = open()) {
            store.addContact("bob", Keys.key(2));
            store.addContact("carol", Keys.key(3));
            for (String name : List.of("bob", "carol")) {
                store.replaceEntries(name, List.of(RecordEntry.of(1, new byte[] {1})));
                store.pushOutgoing(name, new byte[] {1});
                store.addReceived(name, List.of(new IncomingMessage(1, Keys.messageId(name.length()), "hi", T0)),
                        List.of(new ReadMark(1, Keys.messageId(name.length()))));
            }
            store.removeContact("bob");
            store.addContact("bob", Keys.key(2));
            assertThat(store.entries("bob")).isEmpty();
            assertThat(store.outgoing("bob")).isEmpty();
            assertThat(store.outboxHead("bob").isEnd()).isTrue();
            assertThat(store.received(ReceivedQuery.all().contact("bob"))).isEmpty();
            assertThat(store.readMarks("bob")).isEmpty();
            assertThat(store.fetchMarks("bob")).isEmpty();
            assertThat(store.entries("carol")).hasSize(1);
            assertThat(store.outgoing("carol")).hasSize(1);
            assertThat(store.received(ReceivedQuery.all())).extracting(ReceivedMessage::contact).containsExactly("carol");
        }
        try (var c = Keys.raw(tmp.resolve("state")); var s = c.createStatement();
             var rs = s.executeQuery("SELECT (SELECT count(*) FROM outgoing) + (SELECT count(*) FROM received) "
                     + "+ (SELECT count(*) FROM entries) + (SELECT count(*) FROM read_marks) + (SELECT count(*) FROM fetch_marks)")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(4); // carol's rows only: nothing orphaned
        }
    }

    // ------------------------------------------------------------------------------------------- entries

    @Test
    void entriesRoundTripAndAreReplacedWhole() {
        byte[] max = new byte[RecordEntry.MAX_CONTENT_BYTES];
        max[0] = 7;
        List<RecordEntry> first = List.of(
                new RecordEntry(RecordEntry.MAX_ID, Long.MAX_VALUE, 0xFFFF, max),
                RecordEntry.of(0x80001201L, "198.51.100.2:6881".getBytes(StandardCharsets.UTF_8)),
                RecordEntry.of(3, new byte[] {1}).delete(),
                new RecordEntry(0, Long.MIN_VALUE, 0, new byte[0]));
        try (StateStore store = open()) {
            store.addContact("bob", Keys.key(2));
            store.addContact("carol", Keys.key(3));
            assertThat(store.entries("bob")).isEmpty();
            store.replaceEntries("bob", first);
            store.replaceEntries("carol", List.of(RecordEntry.of(9, new byte[] {9})));
        }
        try (StateStore store = open()) {
            assertThat(store.entries("bob")).containsExactly(first.get(3), first.get(2), first.get(1), first.get(0));
            assertThat(store.entries("bob").get(1).isDeleted()).isTrue();
            store.replaceEntries("bob", List.of(first.get(1).assign(new byte[] {5})));
            assertThat(store.entries("bob")).containsExactly(first.get(1).assign(new byte[] {5}));
            store.replaceEntries("bob", List.of());
            assertThat(store.entries("bob")).isEmpty();
            assertThat(store.entries("carol")).containsExactly(RecordEntry.of(9, new byte[] {9}));
        }
    }

    @Test
    void duplicateEntryIdsAreRejectedAndNothingChanges() {
        try (StateStore store = open()) {
            store.addContact("bob", Keys.key(2));
            store.replaceEntries("bob", List.of(RecordEntry.of(1, new byte[] {1})));
            assertThatThrownBy(() -> store.replaceEntries("bob",
                    List.of(RecordEntry.of(2, new byte[0]), RecordEntry.of(2, new byte[] {2}))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entry id 2 appears twice");
            assertThat(store.entries("bob")).containsExactly(RecordEntry.of(1, new byte[] {1}));
        }
    }

    // ------------------------------------------------------------------------------------------- settings

    @Test
    void deviceTagIsGeneratedOnceAndKept() {
        int tag;
        try (StateStore store = open()) {
            tag = store.deviceTag();
            assertThat(tag).isBetween(0, (1 << 23) - 1);
            assertThat(store.deviceTag()).isEqualTo(tag);
        }
        try (StateStore store = open()) {
            assertThat(store.deviceTag()).isEqualTo(tag);
            store.setDeviceTag(0x7FFFFF);
            assertThat(store.deviceTag()).isEqualTo(0x7FFFFF);
            assertThatThrownBy(() -> store.setDeviceTag(1 << 23)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.setDeviceTag(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void deviceNameDefaultsToTheHostName() {
        try (StateStore store = open()) {
            String name = store.deviceName();
            assertThat(name).isNotBlank();
            assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(32);
            assertThat(name).isEqualTo(StateStore.defaultDeviceName());
            store.setDeviceName("laptop ünd so");
            assertThat(store.deviceName()).isEqualTo("laptop ünd so");
            assertThatThrownBy(() -> store.setDeviceName("x".repeat(33))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.setDeviceName(" ")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.setDeviceName("a\nb")).isInstanceOf(IllegalArgumentException.class);
        }
        try (StateStore store = open()) {
            assertThat(store.deviceName()).isEqualTo("laptop ünd so");
        }
    }

    @Test
    void freeFormSettings() {
        try (StateStore store = open()) {
            assertThat(store.setting("bootstrap")).isEmpty();
            store.putSetting("bootstrap", "router.example:6881");
            store.putSetting("bootstrap", "other.example:6881");
            store.putSetting("empty", "");
        }
        try (StateStore store = open()) {
            assertThat(store.setting("bootstrap")).contains("other.example:6881");
            assertThat(store.setting("empty")).contains("");
            assertThat(store.removeSetting("bootstrap")).isTrue();
            assertThat(store.removeSetting("bootstrap")).isFalse();
            assertThat(store.setting("bootstrap")).isEmpty();
            assertThatThrownBy(() -> store.putSetting(StateStore.SETTING_DEVICE_TAG, "1"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.putSetting("", "1")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
