package dev.scout.app;

import dev.scout.core.crypto.PairKeys;
import dev.scout.core.message.MessageId;
import dev.scout.core.message.MessageList;
import dev.scout.core.message.MessageSeal;
import dev.scout.core.message.MissingMessageException;
import dev.scout.core.message.StoredMessage;
import dev.scout.dht.ScoutException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads one contact device's message list down to what this device had read, opening each message. */
final class InboxWalk {
    /** Messages read from one device's list per inbox, at most. */
    static final int MAX_WALK = 1_000;

    private final MessageList messages;

    InboxWalk(MessageList messages) {
        this.messages = messages;
    }

    /**
     * The messages on {@code device}'s list newer than {@code stopAt}, oldest first. A message gone from
     * the DHT ends the walk and one that cannot be opened is skipped; each adds a line to {@code problems}.
     */
    List<IncomingMessage> newMessages(Contact contact, ScoutApp.ContactDevice device, MessageId stopAt, PairKeys keys,
                                      List<String> problems) {
        List<StoredMessage> walked;
        try {
            walked = DhtWait.await(messages.walk(device.outboxHead(), stopAt, MAX_WALK), "reading messages");
        } catch (MissingMessageException e) {
            walked = e.read();
            problems.add("a message from " + contact.name() + " (device " + device.tag() + ") is no longer in the DHT; "
                    + walked.size() + " newer ones were read");
        }
        List<IncomingMessage> fromDevice = new ArrayList<>();
        for (StoredMessage m : walked) {
            AppEntries.MessageBody body = open(keys, m.message());
            if (body == null) {
                problems.add("message " + m.id().toHex() + " from " + contact.name() + " could not be opened; skipped");
                continue;
            }
            fromDevice.add(new IncomingMessage(device.tag(), m.id(), body.text(), Instant.ofEpochMilli(body.sentAtMillis())));
        }
        Collections.reverse(fromDevice); // record oldest first
        return fromDevice;
    }

    private static AppEntries.MessageBody open(PairKeys keys, byte[] sealed) {
        try {
            return AppEntries.decodeMessage(MessageSeal.open(keys, sealed));
        } catch (ScoutException e) {
            return null;
        }
    }
}
