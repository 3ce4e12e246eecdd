package dev.scout.cli.api.messages;

import dev.scout.cli.api.ApiException;
import dev.scout.cli.api.Jackson;
import dev.scout.cli.api.Views;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scout.app.AppEntries;
import dev.scout.app.Contact;
import dev.scout.app.ReceivedMessage;
import dev.scout.sqlite.ReceivedQuery;
import dev.scout.sqlite.SentRepository;
import dev.scout.sqlite.StateStore;
import dev.scout.core.crypto.PairKeys;
import dev.scout.core.message.MessageBlob;
import dev.scout.core.message.MessageId;
import dev.scout.core.message.MessageSeal;
import dev.scout.dht.ScoutException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pages of received and sent messages from local state, oldest first, and single messages by id. A sent
 * message's text is opened from its sealed form (the pair key is ours too), so nothing extra is stored.
 */
public final class MessageList {
    private final StateStore store;

    public MessageList(StateStore store) {
        this.store = store;
    }

    /**
     * Every message exchanged with {@code contact}, both directions, in the order they were sent (as
     * {@code GET /v1/messages} gives them, each with its {@code direction}).
     */
    public List<JsonNode> history(String contact) {
        List<JsonNode> all = new ArrayList<>();
        for (boolean sent : new boolean[] {false, true}) {
            long after = 0;
            while (true) {
                Page page = read(new MessageQuery(contact, false, sent, MessageQuery.MAX_LIMIT, after));
                page.json().get("messages").forEach(all::add);
                if (page.json().get("next").isNull()) {
                    break;
                }
                after = page.lastSeq();
            }
        }
        all.sort(Comparator.comparing(m -> m.get("sent_at").asText()));
        return all;
    }

    /** One page and the local sequence number of its last message. */
    private record Page(ObjectNode json, long lastSeq) {
    }

    /** {"messages": […], "next": cursor or null}. */
    ObjectNode page(MessageQuery q) {
        return read(q).json();
    }

    private Page read(MessageQuery q) {
        String contact = q.contact() == null ? null : store.contact(q.contact()).name();
        ArrayNode messages = Jackson.array();
        long last;
        int count;
        if (q.sent()) {
            List<SentRepository.SentMessage> sent = store.sent().page(contact, null, q.afterSeq(), q.limit());
            addSent(messages, sent);
            count = sent.size();
            last = sent.isEmpty() ? 0 : sent.get(sent.size() - 1).seq();
        } else {
            ReceivedQuery query = ReceivedQuery.all().contact(contact).page(q.afterSeq(), q.limit());
            List<ReceivedMessage> received = store.received(q.unread() ? query.unreadOnly() : query);
            received.forEach(m -> messages.add(Views.storedMessage(m)));
            count = received.size();
            last = received.isEmpty() ? 0 : received.get(received.size() - 1).seq();
        }
        ObjectNode out = Jackson.object();
        out.set("messages", messages);
        out.put("next", count == q.limit() ? MessageQuery.cursor(q.sent(), last) : null);
        return new Page(out, last);
    }

    /** The received or sent message with this id; 404 if there is none. */
    ObjectNode one(MessageId id) {
        List<ReceivedMessage> received = store.received(ReceivedQuery.all().id(id).page(0, 1));
        if (!received.isEmpty()) {
            return Views.storedMessage(received.get(0));
        }
        List<SentRepository.SentMessage> sent = store.sent().page(null, id, 0, 1);
        if (!sent.isEmpty()) {
            ArrayNode one = Jackson.array();
            addSent(one, sent);
            return (ObjectNode) one.get(0);
        }
        throw new ApiException(404, "unknown_message", "no message " + id.toHex());
    }

    private void addSent(ArrayNode out, List<SentRepository.SentMessage> sent) {
        Map<String, PairKeys> keys = new HashMap<>();
        for (SentRepository.SentMessage s : sent) {
            PairKeys k = keys.computeIfAbsent(s.message().contact(), name -> {
                Contact c = store.contact(name);
                return PairKeys.derive(store.requireIdentity(), c.publicKey());
            });
            out.add(Views.sentMessage(s, open(k, s.message().value())));
        }
    }

    private static AppEntries.MessageBody open(PairKeys keys, byte[] value) {
        try {
            return AppEntries.decodeMessage(MessageSeal.open(keys, MessageBlob.parseBencodedValue(value).message()));
        } catch (ScoutException e) {
            return null;
        }
    }
}
