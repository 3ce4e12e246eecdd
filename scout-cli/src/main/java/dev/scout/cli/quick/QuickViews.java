package dev.scout.cli.quick;

import dev.scout.cli.client.JsonValues;

import java.util.ArrayList;
import java.util.List;

import static dev.scout.cli.client.JsonValues.asInt;
import static dev.scout.cli.client.JsonValues.asText;
import static dev.scout.cli.client.JsonValues.elements;
import static dev.scout.cli.client.JsonValues.has;
import static dev.scout.cli.client.JsonValues.hasNonNull;
import static dev.scout.cli.client.JsonValues.isEmpty;
import static dev.scout.cli.client.JsonValues.path;

/** The human forms of the daemon's status and sync answers, as StatusCommand and SyncCommand print them. */
public final class QuickViews {
    private QuickViews() {}

    /** StatusCommand.human. */
    public static String status(Object s) {
        boolean running = JsonValues.asBoolean(path(s, "running"), false);
        if (!running && JsonValues.isNull(path(s, "updated_at"))) {
            return "the daemon has not run yet (scout daemon)";
        }
        StringBuilder b = new StringBuilder();
        if (running) {
            b.append("daemon running (pid ").append(asText(path(s, "pid"))).append(", API ")
                    .append(asText(path(s, "api_url"))).append(")\n  node            ")
                    .append(asText(path(s, "local_address"))).append('\n');
        } else {
            b.append("daemon not running; last status at ").append(asText(path(s, "updated_at"))).append('\n');
        }
        Object size = path(s, "routing_table_size");
        b.append("  routing table   ").append(JsonValues.isNull(size) ? "?" : asText(size)).append(" nodes\n");
        line(b, "external IPv4   ", asText(path(s, "external_address"), "unknown"));
        line(b, "external IPv6   ", asText(path(s, "external_address_v6"), "unknown"));
        if (has(s, "reachability")) {
            line(b, "reachability    ", asText(path(s, "reachability"), "unknown") + v6(s, "reachability_v6"));
        }
        if (has(s, "nat")) {
            line(b, "NAT             ", asText(path(s, "nat"), "unknown") + v6(s, "nat_v6"));
        }
        if (has(s, "relay")) {
            line(b, "relay           ", relay(path(s, "relay")));
        }
        if (running) {
            Object m = path(s, "port_mapping");
            line(b, "port mapping    ", m instanceof java.util.Map ? asText(path(m, "protocol")) + " " + asText(path(m, "external"))
                    + (JsonValues.isNull(path(m, "expires")) ? " (permanent lease)" : " until " + asText(path(m, "expires"))) : "none");
        }
        line(b, "last republish  ", asText(path(s, "last_republish"), "never"));
        line(b, "last poll       ", asText(path(s, "last_poll"), "never"));
        return b.append("  contacts        ").append(asText(path(s, "contacts_reachable"), "?")).append(" reachable").toString();
    }

    /** StatusCommand.relayLine. */
    private static String relay(Object r) {
        List<String> parts = new ArrayList<>();
        if (JsonValues.asBoolean(path(r, "serving"), false)) {
            parts.add("relaying for others (" + asText(path(r, "limits"), "?") + " limits, " + JsonValues.asLong(path(r, "clients"))
                    + " clients" + (JsonValues.asBoolean(path(r, "announced"), false) ? ", announced on the DHT)" : ")"));
        }
        if (hasNonNull(r, "via")) {
            parts.add("home " + asText(path(r, "via")) + " (" + ("pinned".equals(asText(path(r, "found"))) ? "pinned" : "found on the DHT")
                    + (hasNonNull(r, "rtt_ms") ? ", " + JsonValues.asLong(path(r, "rtt_ms")) + " ms" : "")
                    + (JsonValues.asBoolean(path(r, "registered"), false) ? ", registered" : ", not registered yet") + ")");
        }
        if (hasNonNull(r, "error")) {
            parts.add(asText(path(r, "error")));
        }
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }

    private static void line(StringBuilder b, String label, String value) {
        b.append("  ").append(label).append(value).append('\n');
    }

    private static String v6(Object s, String field) {
        return hasNonNull(s, field) ? " (IPv6: " + asText(path(s, field)) + ")" : "";
    }

    /** SyncCommand.human. */
    public static String sync(Object r) {
        String name = asText(path(r, "contact"));
        int stored = asInt(path(r, "stored"));
        StringBuilder b = new StringBuilder(name).append(": record seq ").append(JsonValues.asLong(path(r, "seq")))
                .append(stored == 0 ? ", already up to date" : ", stored on " + stored + " nodes");
        Object devices = path(r, "devices");
        if (isEmpty(devices)) {
            b.append("\n  no devices yet (").append(name).append(" has not synchronized)");
        }
        for (Object d : elements(devices)) {
            List<String> addresses = new ArrayList<>();
            for (Object a : elements(path(d, "addresses"))) {
                addresses.add(asText(a));
            }
            String device = asText(path(d, "name"));
            b.append("\n  device ").append(asInt(path(d, "tag"))).append(device.isEmpty() ? "" : " (" + device + ")")
                    .append(": ").append(addresses.isEmpty() ? "no addresses" : String.join(", ", addresses));
        }
        return b.toString();
    }
}
