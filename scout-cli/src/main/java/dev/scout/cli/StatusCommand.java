package dev.scout.cli;

import dev.scout.cli.state.DaemonStatus;
import dev.scout.cli.state.StateStore;
import picocli.CommandLine.Command;

import java.time.Instant;
import java.util.Optional;

/** {@code scout status}: what the daemon last reported (it writes its status into the state store). */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = ScoutCommand.Version.class,
        description = {"Show the daemon's last status: routing table size, external address, last republish and poll.",
                "JSON: {\"updated_at\", \"routing_table_size\", \"external_address\", \"external_address_v6\", \"last_republish\", \"last_poll\", \"contacts_reachable\"}"})
public final class StatusCommand extends BaseCommand {
    @Override
    public Integer call() {
        try (StateStore store = StateStore.open(ScoutCommand.of(spec).stateDir())) {
            DaemonStatus s = store.daemonStatus();
            Json.Obj json = Json.object().put("updated_at", str(s.updatedAt()))
                    .put("routing_table_size", s.routingTableSize().isPresent() ? s.routingTableSize().getAsInt() : null)
                    .put("external_address", s.externalAddress().orElse(null))
                    .put("external_address_v6", emptyToNull(s.other().get(DaemonCommand.STATUS_EXTERNAL_V6)))
                    .put("last_republish", str(s.lastRepublish()))
                    .put("last_poll", str(s.lastPoll()))
                    .put("contacts_reachable", s.other().get(DaemonCommand.STATUS_REACHABLE));
            String human = s.updatedAt().isEmpty() ? "the daemon has not run yet (scout daemon)"
                    : "daemon status at " + s.updatedAt().get() + "\n"
                    + "  routing table   " + (s.routingTableSize().isPresent() ? String.valueOf(s.routingTableSize().getAsInt()) : "?") + " nodes\n"
                    + "  external IPv4   " + s.externalAddress().orElse("unknown") + "\n"
                    + "  external IPv6   " + Optional.ofNullable(emptyToNull(s.other().get(DaemonCommand.STATUS_EXTERNAL_V6)))
                            .orElse("unknown") + "\n"
                    + "  last republish  " + s.lastRepublish().map(Instant::toString).orElse("never") + "\n"
                    + "  last poll       " + s.lastPoll().map(Instant::toString).orElse("never") + "\n"
                    + "  contacts        " + s.other().getOrDefault(DaemonCommand.STATUS_REACHABLE, "?") + " reachable";
            emit(json, human);
        }
        return 0;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String str(java.util.Optional<Instant> t) {
        return t.map(Instant::toString).orElse(null);
    }
}
