package dev.scout.cli.api.app;

import dev.scout.cli.api.ApiServer;
import dev.scout.cli.api.events.EventBus;
import dev.scout.cli.api.Jackson;
import dev.scout.cli.api.Views;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scout.app.Contact;
import dev.scout.app.ReadMark;
import dev.scout.core.message.MessageId;
import dev.scout.app.ScoutApp;
import dev.scout.node.ScoutNode;
import dev.scout.sqlite.StateStore;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The daemon's app operations for the API: the {@link ScoutNode}'s verbs, waited for, failing with the
 * exception that caused them (so {@link ApiServer#status} maps it), and the {@link StateStore} for
 * what the node does not wrap (received messages, read marks, settings).
 */
public final class AppService {
    private final StateStore store;
    private final ScoutNode node;
    private final EventBus events;

    public AppService(StateStore store, ScoutNode node, EventBus events) {
        this.store = store;
        this.node = node;
        this.events = events;
    }

    public StateStore store() {
        return store;
    }

    public ScoutNode node() {
        return node;
    }

    public ScoutApp app() {
        return node.app();
    }

    public EventBus events() {
        return events;
    }

    public ScoutApp.SyncReport sync(Contact contact) {
        return await(node.sync(contact));
    }

    public ScoutApp.SendReport send(Contact contact, String text) {
        return await(node.send(contact, text));
    }

    public ScoutApp.InboxReport inbox(Contact contact) {
        return await(node.inbox(contact));
    }

    /**
     * Marks the contact's messages read up to {@code upTo} (every received one when null), publishes the
     * read marks and announces them as a {@code read} event.
     *
     * @return {"contact", "up_to", "read_marks", "problems"}
     */
    public ObjectNode markRead(Contact contact, MessageId upTo) {
        List<ReadMark> marks = store.marksUpTo(contact.name(), upTo);
        List<String> problems = marks.isEmpty() ? List.of() : app().markRead(contact, marks);
        ObjectNode data = Jackson.object().put("contact", contact.name()).put("up_to", upTo == null ? null : upTo.toHex());
        ArrayNode list = data.putArray("read_marks");
        store.readMarks(contact.name()).forEach(m -> list.add(Views.readMark(m)));
        events.publish("read", data.deepCopy());
        ArrayNode p = data.putArray("problems");
        problems.forEach(p::add);
        return data;
    }

    /** The future's result; its failure rethrown as the exception that caused it. */
    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }
}
