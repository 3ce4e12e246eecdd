package dev.scout.cli.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.scout.app.Contact;
import dev.scout.app.ReadMark;
import dev.scout.core.message.MessageId;
import dev.scout.app.ReceivedMessage;
import dev.scout.app.ScoutApp;
import dev.scout.cli.state.StateStore;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daemon's app operations with their events: whoever asks (the poll loop or an API caller), a
 * new message is announced once as a {@code message} event and a change in a contact's devices as a
 * {@code contact} event.
 */
public final class AppService {
    private final StateStore store;
    private final ScoutApp app;
    private final EventBus events;
    private final Map<String, List<ScoutApp.ContactDevice>> knownDevices = new ConcurrentHashMap<>();

    public AppService(StateStore store, ScoutApp app, EventBus events) {
        this.store = store;
        this.app = app;
        this.events = events;
    }

    public StateStore store() {
        return store;
    }

    public ScoutApp app() {
        return app;
    }

    public EventBus events() {
        return events;
    }

    public ScoutApp.SyncReport sync(Contact contact) {
        ScoutApp.SyncReport r = app.sync(contact);
        devicesSeen(contact, r.devices());
        return r;
    }

    public ScoutApp.SendReport send(Contact contact, String text) {
        return app.send(contact, text);
    }

    public ScoutApp.InboxReport inbox(Contact contact) {
        ScoutApp.InboxReport r = app.inbox(contact);
        for (ReceivedMessage m : r.received()) {
            events.publish("message", Views.message(m));
        }
        devicesSeen(contact, app.storedDevices(contact));
        return r;
    }

    /**
     * Marks the contact's messages read up to {@code upTo} (every received one when null), publishes the
     * read marks and announces them as a {@code read} event.
     *
     * @return {"contact", "up_to", "read_marks", "problems"}
     */
    public ObjectNode markRead(Contact contact, MessageId upTo) {
        List<ReadMark> marks = store.marksUpTo(contact.name(), upTo);
        List<String> problems = marks.isEmpty() ? List.of() : app.markRead(contact, marks);
        ObjectNode data = Jackson.object().put("contact", contact.name()).put("up_to", upTo == null ? null : upTo.toHex());
        ArrayNode list = data.putArray("read_marks");
        store.readMarks(contact.name()).forEach(m -> list.add(Views.readMark(m)));
        events.publish("read", data.deepCopy());
        ArrayNode p = data.putArray("problems");
        problems.forEach(p::add);
        return data;
    }

    public int republish() {
        return app.republish();
    }

    private void devicesSeen(Contact contact, List<ScoutApp.ContactDevice> devices) {
        List<ScoutApp.ContactDevice> before = knownDevices.put(contact.publicKey().toHex(), devices);
        if (before != null && !sameAddresses(before, devices) || before == null && !devices.isEmpty()) {
            ObjectNode data = Jackson.object().put("contact", contact.name());
            data.set("devices", Views.devices(devices));
            events.publish("contact", data);
        }
    }

    private static boolean sameAddresses(List<ScoutApp.ContactDevice> a, List<ScoutApp.ContactDevice> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).tag() != b.get(i).tag() || !a.get(i).addresses().equals(b.get(i).addresses())
                    || !a.get(i).name().equals(b.get(i).name())) {
                return false;
            }
        }
        return true;
    }
}
