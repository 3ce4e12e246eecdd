package dev.scout.cli.api;

import dev.scout.app.AppEntries;
import dev.scout.app.OutgoingMessage;
import dev.scout.sqlite.SentRepository;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scout.app.Contact;
import dev.scout.app.ReadMark;
import dev.scout.app.ReceivedMessage;
import dev.scout.app.ScoutApp;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.core.crypto.PairKeys;
import dev.scout.dht.Addresses;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

/**
 * The JSON shape of each result, shared by {@code scout --json} and the local API, so a command answers
 * the same whether it ran its own node or asked the daemon (docs/api.md, docs/openapi.yaml).
 */
public final class Views {
    private Views() {}

    /** Every timestamp in the API: UTC, always with milliseconds ({@code 2026-01-02T03:04:05.000Z}). */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** {@code instant} as every API timestamp is written. */
    public static String time(Instant instant) {
        return TIME.format(instant);
    }

    /** {"public_key", "public_key_hex"}. */
    public static ObjectNode identity(Ed25519KeyPair id) {
        return Jackson.object().put("public_key", id.publicKey().toZBase32()).put("public_key_hex", id.publicKey().toHex());
    }

    /** {"name", "public_key", "public_key_hex", "added_at"}. */
    public static ObjectNode contact(Contact c) {
        return Jackson.object().put("name", c.name()).put("public_key", c.publicKey().toZBase32())
                .put("public_key_hex", c.publicKey().toHex()).put("added_at", time(c.addedAt()));
    }

    /** {@link #contact} plus the shared record's key and target and the contact's devices as last synced. */
    public static ObjectNode contactDetails(Ed25519KeyPair self, Contact c, List<ScoutApp.ContactDevice> devices) {
        PairKeys keys = PairKeys.derive(self, c.publicKey());
        ObjectNode o = contact(c).put("record_public_key", keys.recordPublicKey().toHex())
                .put("record_target", HexFormat.of().formatHex(keys.recordTarget()));
        o.set("devices", devices(devices));
        return o;
    }

    /** {"tag", "name", "addresses", "outbox_head", "updated_at"}. */
    public static ObjectNode device(ScoutApp.ContactDevice d) {
        ObjectNode o = Jackson.object().put("tag", d.tag()).put("name", d.name());
        o.set("addresses", addresses(d.addresses()));
        o.put("outbox_head", d.outboxHead().isEnd() ? null : d.outboxHead().toHex());
        o.put("updated_at", d.updatedAt() == 0 ? null : time(Instant.ofEpochSecond(d.updatedAt())));
        return o;
    }

    public static ArrayNode devices(List<ScoutApp.ContactDevice> devices) {
        ArrayNode a = Jackson.array();
        devices.forEach(d -> a.add(device(d)));
        return a;
    }

    public static ArrayNode addresses(List<InetSocketAddress> addresses) {
        ArrayNode a = Jackson.array();
        addresses.forEach(x -> a.add(Addresses.format(x)));
        return a;
    }

    /** {"contact", "seq", "stored", "devices"}. */
    public static ObjectNode sync(ScoutApp.SyncReport r) {
        ObjectNode o = Jackson.object().put("contact", r.contact().name()).put("seq", r.seq()).put("stored", r.stored());
        o.set("devices", devices(r.devices()));
        return o;
    }

    /** {"contact", "message_id", "stored", "record_seq"}. */
    public static ObjectNode send(ScoutApp.SendReport r) {
        return Jackson.object().put("contact", r.contact().name()).put("message_id", r.id().toHex())
                .put("stored", r.stored()).put("record_seq", r.recordSeq());
    }

    /** {"contact", "device", "message_id", "text", "sent_at"} (and "received_at", "read" where known). */
    public static ObjectNode message(ReceivedMessage m) {
        return Jackson.object().put("contact", m.contact()).put("device", m.deviceTag()).put("message_id", m.id().toHex())
                .put("text", m.text()).put("sent_at", time(m.sentAt()));
    }

    /** A recorded message with its local state. */
    public static ObjectNode storedMessage(ReceivedMessage m) {
        return message(m).put("direction", "received").put("received_at", time(m.receivedAt())).put("read", m.read());
    }

    /**
     * A sent message: {"contact", "message_id", "text", "sent_at", "direction": "sent", "receipt"}, the
     * receipt being {@code sent} (recorded here), {@code stored} (a DHT node holds it) or {@code
     * read_by_contact} (the contact's read mark reached it). {@code text} is null if it cannot be opened.
     */
    public static ObjectNode sentMessage(SentRepository.SentMessage s, AppEntries.MessageBody body) {
        OutgoingMessage m = s.message();
        String receipt = m.delivered() ? "read_by_contact" : s.stored() ? "stored" : "sent";
        return Jackson.object().put("contact", m.contact()).put("message_id", m.id().toHex())
                .put("text", body == null ? null : body.text())
                .put("sent_at", time(body == null ? m.createdAt() : Instant.ofEpochMilli(body.sentAtMillis())))
                .put("direction", "sent").put("receipt", receipt);
    }

    /** {"device", "message_id"}. */
    public static ObjectNode readMark(ReadMark m) {
        return Jackson.object().put("device", m.deviceTag()).put("message_id", m.messageId().toHex());
    }
}
