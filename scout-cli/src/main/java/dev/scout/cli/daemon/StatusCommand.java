package dev.scout.cli.daemon;

import dev.scout.cli.common.BaseCommand;
import dev.scout.cli.common.DaemonClient;
import dev.scout.cli.common.Globals;
import dev.scout.cli.common.Version;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scout.cli.api.Jackson;
import dev.scout.sqlite.DaemonStatus;
import dev.scout.sqlite.StateStore;
import picocli.CommandLine.Command;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code scout status}: the running daemon's live status, or what the daemon last recorded. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Show the daemon's status: running or not, routing table size, external address of each "
                + "family, reachability, last republish and poll.",
                "JSON: {\"running\", \"updated_at\", \"routing_table_size\", \"external_address\", "
                        + "\"external_address_v6\", \"last_republish\", \"last_poll\", \"contacts_reachable\", …}"})
public final class StatusCommand extends BaseCommand {
    @Override
    public Integer call() {
        Optional<DaemonClient> daemon = daemon();
        JsonNode json;
        if (daemon.isPresent()) {
            json = daemon.get().get("/v1/status");
        } else {
            try (StateStore store = StateStore.open(Globals.of(spec).stateDir())) {
                json = storedJson(store.status().daemonStatus()).put("running", false);
            }
        }
        emit(json, human(json));
        return 0;
    }

    /** The recorded status as JSON (shared with the daemon's live status). */
    public static ObjectNode storedJson(DaemonStatus s) {
        ObjectNode o = Jackson.object().put("updated_at", str(s.updatedAt()))
                .put("routing_table_size", s.routingTableSize().isPresent() ? s.routingTableSize().getAsInt() : null)
                .put("external_address", s.externalAddress().orElse(null))
                .put("external_address_v6", emptyToNull(s.other().get(DaemonCommand.STATUS_EXTERNAL_V6)))
                .put("last_republish", str(s.lastRepublish()))
                .put("last_poll", str(s.lastPoll()))
                .put("contacts_reachable", s.other().get(DaemonCommand.STATUS_REACHABLE));
        for (String key : new String[] {"reachability", "nat", "reachability_v6", "nat_v6"}) {
            String value = emptyToNull(s.other().get(key));
            if (value != null) {
                o.put(key, value);
            }
        }
        return o;
    }

    public static String human(JsonNode s) {
        boolean running = s.path("running").asBoolean(false);
        if (!running && s.path("updated_at").isNull()) {
            return "the daemon has not run yet (scout daemon)";
        }
        StringBuilder b = new StringBuilder(running
                ? "daemon running (pid " + s.path("pid").asText() + ", API " + s.path("api_url").asText() + ")\n"
                : "daemon not running; last status at " + s.path("updated_at").asText() + "\n");
        if (running) {
            b.append("  node            ").append(s.path("local_address").asText()).append('\n');
        }
        b.append("  routing table   ").append(s.path("routing_table_size").isNull() ? "?" : s.path("routing_table_size").asText())
                .append(" nodes\n")
                .append("  external IPv4   ").append(text(s, "external_address", "unknown")).append('\n')
                .append("  external IPv6   ").append(text(s, "external_address_v6", "unknown")).append('\n');
        if (s.has("reachability")) {
            b.append("  reachability    ").append(text(s, "reachability", "unknown")).append(v6(s, "reachability_v6")).append('\n');
        }
        if (s.has("nat")) {
            b.append("  NAT             ").append(text(s, "nat", "unknown")).append(v6(s, "nat_v6")).append('\n');
        }
        if (s.has("relay")) {
            b.append("  relay           ").append(relayLine(s.get("relay"))).append('\n');
        }
        if (running) {
            JsonNode m = s.path("port_mapping");
            b.append("  port mapping    ").append(m.isObject() ? m.path("protocol").asText() + " " + m.path("external").asText()
                    + (m.path("expires").isNull() ? " (permanent lease)" : " until " + m.path("expires").asText()) : "none")
                    .append('\n');
        }
        b.append("  last republish  ").append(text(s, "last_republish", "never")).append('\n')
                .append("  last poll       ").append(text(s, "last_poll", "never")).append('\n')
                .append("  contacts        ").append(text(s, "contacts_reachable", "?")).append(" reachable");
        if (!s.path("storage").path("ok").asBoolean(true)) {
            b.append("\n  storage         writes failing since ").append(s.path("storage").path("since").asText())
                    .append(": ").append(s.path("storage").path("error").asText());
        }
        return b.toString();
    }

    /** The daemon as a relay and as a relay's client, one line: "home 203.0.113.7:6881 (found on the DHT, 42 ms)". */
    static String relayLine(JsonNode r) {
        List<String> parts = new ArrayList<>();
        if (r.path("serving").asBoolean()) {
            parts.add("relaying for others (" + r.path("limits").asText("?") + " limits, " + r.path("clients").asLong()
                    + " clients" + (r.path("announced").asBoolean() ? ", announced on the DHT)" : ")"));
        }
        if (r.hasNonNull("via")) {
            parts.add("home " + r.get("via").asText() + " (" + ("pinned".equals(r.path("found").asText()) ? "pinned" : "found on the DHT")
                    + (r.hasNonNull("rtt_ms") ? ", " + r.get("rtt_ms").asLong() + " ms" : "")
                    + (r.path("registered").asBoolean() ? ", registered" : ", not registered yet") + ")");
        }
        if (r.hasNonNull("error")) {
            parts.add(r.get("error").asText());
        }
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }

    /** The IPv6 family's own verdict, when the daemon runs both families (" (IPv6: …)"). */
    private static String v6(JsonNode s, String field) {
        return s.hasNonNull(field) ? " (IPv6: " + s.get(field).asText() + ")" : "";
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String text(JsonNode s, String field, String otherwise) {
        JsonNode v = s.get(field);
        return v == null || v.isNull() ? otherwise : v.asText();
    }

    private static String str(Optional<Instant> t) {
        return t.map(dev.scout.cli.api.Views::time).orElse(null);
    }
}
