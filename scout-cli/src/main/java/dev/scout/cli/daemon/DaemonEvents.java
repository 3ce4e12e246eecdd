package dev.scout.cli.daemon;

import dev.scout.cli.api.app.AppService;
import dev.scout.cli.api.sessions.DaemonSessions;
import dev.scout.cli.api.events.EventBus;
import dev.scout.cli.api.Jackson;
import dev.scout.cli.api.Views;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scout.app.ReceivedMessage;
import dev.scout.cli.common.LogText;
import dev.scout.node.NodeEvent;

import java.io.PrintWriter;
import dev.scout.sqlite.error.StateException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the daemon does with its node's events: announces them on the event stream ({@code message},
 * {@code contact}, {@code session_incoming}, {@code session_path}, {@code session_closed}), logs them, and records the
 * status {@code scout status} prints when no daemon runs.
 */
public final class DaemonEvents implements Consumer<NodeEvent> {
    /** Status key: contacts whose record lists a device, of all contacts. */
    public static final String STATUS_REACHABLE = "contacts_reachable";

    private final AppService service;
    private final DaemonSessions sessions;
    private final Supplier<ObjectNode> record;
    private final PrintWriter out;
    private final StorageHealth storage;

    /**
     * @param record  records the node's figures in the store and returns the status
     * @param storage where a failed state write is reported (a full disk must not end the daemon)
     */
    public DaemonEvents(AppService service, DaemonSessions sessions, Supplier<ObjectNode> record, PrintWriter out,
                        StorageHealth storage) {
        this.service = service;
        this.sessions = sessions;
        this.record = record;
        this.out = out;
        this.storage = storage;
    }

    @Override
    public void accept(NodeEvent event) {
        EventBus events = service.events();
        if (event instanceof NodeEvent.MessageReceived m) {
            ReceivedMessage msg = m.message();
            events.publish("message", Views.message(msg));
            log(out, "message from " + msg.contact() + ": " + LogText.escape(msg.text()));
        } else if (event instanceof NodeEvent.DevicesChanged d) {
            ObjectNode data = Jackson.object().put("contact", d.contact().name());
            data.set("devices", Views.devices(d.devices()));
            events.publish("contact", data);
        } else if (event instanceof NodeEvent.SessionIncoming s) {
            events.publish("session_incoming", sessions.json(s.session()));
        } else if (event instanceof NodeEvent.SessionClosed s) {
            sessions.ended(s.session());
            events.publish("session_closed", Jackson.object().put("id", s.session().id())
                    .put("contact", s.session().contact()).put("reason", s.reason()));
        } else if (event instanceof NodeEvent.SessionPathChanged p) {
            events.publish("session_path", sessions.json(p.session()));
            log(out, "session " + p.session().id() + " with " + p.session().contact() + " now via " + p.session().via());
        } else if (event instanceof NodeEvent.Republished r) {
            log(out, "republished " + r.items() + (r.items() == 1 ? " item" : " items"));
            stored(() -> {
                service.store().status().recordRepublish(Instant.now());
                return Boolean.TRUE;
            });
        } else if (event instanceof NodeEvent.ReachabilityChanged r) {
            log(out, r.description());
        } else if (event instanceof NodeEvent.NetworkChanged c) {
            log(out, "network change: " + c.description() + "; re-joining, re-learning the external address,"
                    + " republishing");
            events.publish("network_changed", Jackson.object().put("cause", c.cause()).put("description", c.description()));
        } else if (event instanceof NodeEvent.ConnectivityChanged c) {
            log(out, c.online() ? "online: the DHT answers again"
                    : "offline: no DHT node answers; retrying with backoff (at most every 15 s)");
            events.publish("connectivity", Jackson.object().put("online", c.online()));
        } else if (event instanceof NodeEvent.Polled p) {
            polled(p);
        }
    }

    private void polled(NodeEvent.Polled p) {
        for (String problem : p.problems()) {
            log(out, problem.startsWith("could not check ") ? problem : "warning: " + problem);
        }
        ObjectNode s = stored(() -> {
            service.store().status().recordPoll(Instant.now());
            service.store().status().putStatus(STATUS_REACHABLE, p.reachable() + "/" + p.contacts());
            return record.get();
        });
        if (s == null) {
            return;
        }
        List<String> externals = new ArrayList<>();
        for (String field : new String[] {"external_address", "external_address_v6"}) {
            if (s.hasNonNull(field)) {
                externals.add(s.get(field).asText());
            }
        }
        log(out, "status: routing table " + s.path("routing_table_size").asInt() + " nodes, external "
                + (externals.isEmpty() ? "unknown" : String.join(", ", externals)) + ", last republish "
                + s.path("last_republish").asText("never") + ", contacts reachable " + p.reachable() + "/" + p.contacts());
    }

    /**
     * Runs a state write; a failure (a full disk) is reported and logged once instead of thrown, and the
     * first write that succeeds again clears it. The node's next poll is the retry.
     *
     * @return what the write returned, or null if it failed
     */
    private <T> T stored(Supplier<T> write) {
        try {
            T result = write.get();
            logIfAny(storage.succeeded());
            return result;
        } catch (StateException e) {
            logIfAny(storage.failed(e));
            return null;
        }
    }

    private void logIfAny(String line) {
        if (line != null) {
            log(out, line);
        }
    }

    /** One timestamped line of the daemon's log. */
    public static void log(PrintWriter out, String line) {
        synchronized (out) {
            out.println(Instant.now().toString().substring(0, 19).replace('T', ' ') + " " + line);
            out.flush();
        }
    }
}
