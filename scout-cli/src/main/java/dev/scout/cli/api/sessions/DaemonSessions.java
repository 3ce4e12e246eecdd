package dev.scout.cli.api.sessions;

import dev.scout.cli.api.ApiException;
import dev.scout.cli.api.Jackson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scout.dht.Addresses;
import dev.scout.dht.LimitExceededException;
import dev.scout.node.ContactSession;
import dev.scout.node.NodeStatus;
import dev.scout.node.ScoutNode;
import dev.scout.node.UnknownDeviceException;
import dev.scout.session.NoDirectPathException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's sessions as the API hands them out by id (docs/api.md): opening one answers 504 naming
 * the reason when no path was found and 503 when too many are open; an unknown id is 404.
 */
public final class DaemonSessions {
    private final ScoutNode node;
    /** The API's view of each session (its stream claims), made on first use. */
    private final Map<String, LiveSession> views = new ConcurrentHashMap<>();

    public DaemonSessions(ScoutNode node) {
        this.node = node;
    }

    /**
     * A session with the contact called {@code name} (an unclaimed incoming one first), with its device
     * called {@code device} only (null: any); blocks ≤ ~15 s. 404 {@code unknown_device} if it has none so named.
     */
    LiveSession open(String name, String device) {
        try {
            LiveSession live = view(node.open(node.contacts().get(name), device).join());
            if (!live.handOut()) {
                // The connect met a session a caller already has: never give one session to two callers.
                throw new ApiException(409, "session_taken", "the live session with " + live.contact() + " is "
                        + live.id + ", already taken by an earlier POST /v1/sessions; use it or close it first");
            }
            return live;
        } catch (CompletionException e) {
            if (e.getCause() instanceof NoDirectPathException n) {
                throw new ApiException(504, n.getMessage());
            }
            if (e.getCause() instanceof UnknownDeviceException u) {
                throw new ApiException(404, "unknown_device", u.getMessage());
            }
            if (e.getCause() instanceof LimitExceededException l) {
                throw new ApiException(503, l.getMessage());
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /** The incoming session {@code id}, claimed now for the caller: 404 if unknown, 409 if not claimable. */
    LiveSession claim(String id) {
        LiveSession live = get(id);
        if (node.claimSession(id).isEmpty() || !live.handOut()) {
            throw new ApiException(409, "session_taken", "session " + id + " is not an unclaimed incoming session");
        }
        return live;
    }

    /** The session with this id; 404 if there is none. */
    LiveSession get(String id) {
        return node.session(id).map(this::view).orElseThrow(() -> new ApiException(404, "unknown_session", "no session " + id));
    }

    List<LiveSession> list() {
        return node.sessions().stream().map(this::view).toList();
    }

    /** Closes cleanly (waits until the peer has our bytes, ≤ 10 s) and forgets it; 404 if there is none. */
    void close(String id) {
        if (!node.closeSession(id)) {
            throw new ApiException(404, "unknown_session", "no session " + id);
        }
        views.remove(id);
    }

    /** The JSON of a session (as the events show it). */
    public ObjectNode json(ContactSession s) {
        return view(s).json();
    }

    /** Forgets the API's view of an ended session nobody claimed. */
    public void ended(ContactSession s) {
        if (!s.claimed()) {
            views.remove(s.id());
        }
    }

    private LiveSession view(ContactSession s) {
        return views.computeIfAbsent(s.id(), id -> new LiveSession(s));
    }

    /** The {@code relay} object of {@code GET /v1/status} (docs/api.md). */
    public static ObjectNode relayJson(NodeStatus.Relay relay) {
        var o = Jackson.object().put("serving", relay.serving());
        relay.stats().ifPresent(st -> o.put("clients", st.clients()).put("conversations", st.conversations())
                .put("forwarded_bytes", st.forwardedBytes()).put("dropped", st.dropped()));
        relay.limits().ifPresent(l -> o.put("limits", l));
        o.put("announced", relay.announced());
        if (relay.via().isPresent()) {
            o.put("via", Addresses.format(relay.via().get())).put("registered", relay.registered())
                    .put("published_to", relay.publishedTo());
        } else {
            o.putNull("via").put("registered", false);
        }
        NodeStatus.Home home = relay.home();
        o.put("found", home.found().orElse(null));
        if (home.rttMillis().isPresent()) {
            o.put("rtt_ms", home.rttMillis().getAsLong());
        } else {
            o.putNull("rtt_ms");
        }
        o.put("error", home.problem().orElse(null));
        home.standby().ifPresent(s -> o.put("standby", Addresses.format(s))); // failover hook: the second relay (issue 20)
        return o;
    }
}
