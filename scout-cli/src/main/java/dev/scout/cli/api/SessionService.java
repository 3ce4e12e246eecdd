package dev.scout.cli.api;

import dev.scout.app.Contact;
import dev.scout.dht.Addresses;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.dht.udp.DualStackNode;
import dev.scout.session.AccessPolicy;
import dev.scout.session.DatagramLink;
import dev.scout.session.NatType;
import dev.scout.session.NoDirectPathException;
import dev.scout.session.Session;
import dev.scout.session.SessionConfig;
import dev.scout.session.SessionEndpoint;
import dev.scout.session.RelayLimits;
import dev.scout.session.RelayLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The daemon's direct sessions (docs/spec.md §7): one {@link SessionEndpoint} on the DHT node's own socket,
 * accepting exactly the identities in the current contact list (a removed contact's key is refused at
 * its next handshake), opening sessions through {@link Rendezvous}, and keeping the sessions the API
 * hands out by id. Incoming sessions wait unclaimed until a caller opens a session with that contact
 * (as {@code scout pipe} on the other side does) and are announced as {@code session_incoming}; every
 * end is announced as {@code session_closed}.
 */
public final class SessionService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);
    /** Sessions held at once, at most (ended ones are dropped first to make room). */
    static final int MAX_SESSIONS = 64;
    /** A daemon's handshake attempt: short enough that a rendezvous still ends within 15 s. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(8);

    private final AppService service;
    private final SessionEndpoint endpoint;
    private final Rendezvous rendezvous;
    private final Map<String, LiveSession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final RelayLink link;
    private final RelayPublisher relayPublisher;

    /** Without relaying; see {@link #SessionService(AppService, DualStackNode, Supplier, Supplier, long, RelayOptions)}. */
    public SessionService(AppService service, DualStackNode node, Supplier<NatType> nat,
                          Supplier<List<InetSocketAddress>> ourAddresses, long pollMillis) {
        this(service, node, nat, ourAddresses, pollMillis, RelayOptions.NONE);
    }

    /**
     * @param nat          our NAT type as the daemon's NAT awareness sees it
     * @param ourAddresses this device's addresses for contacts (external first)
     * @param pollMillis   how often contacts' records are read for connect intents
     * @param relay        whether to relay for others, and the relay to be reachable through
     */
    public SessionService(AppService service, DualStackNode node, Supplier<NatType> nat,
                          Supplier<List<InetSocketAddress>> ourAddresses, long pollMillis, RelayOptions relay) {
        this.service = service;
        AccessPolicy policy = this::isContact;
        this.link = RelayLink.over(DatagramLink.of(node));
        if (relay.serve()) {
            link.serve(RelayLimits.defaults());
        }
        this.relayPublisher = relay.via().map(r -> new RelayPublisher(service.app(), () -> service.store().contacts(),
                link.registerAt(r), nat)).orElse(null);
        this.endpoint = SessionEndpoint.open(service.store().requireIdentity(), link, policy,
                SessionConfig.defaults().withConnectTimeout(CONNECT_TIMEOUT));
        endpoint.setLocalNatType(nat.get());
        endpoint.onSession(this::incoming);
        this.rendezvous = new Rendezvous(service.app(), () -> service.store().contacts(), endpoint, nat, ourAddresses,
                service.store().deviceTag(), pollMillis, new ContactRelays(link, service.app()));
        rendezvous.existingSessions(new Rendezvous.ExistingSessions() {
            @Override
            public Optional<Session> takeUnclaimed(Contact c) {
                return claimUnclaimed(c).map(l -> l.session);
            }

            @Override
            public boolean anyLive(Contact c) {
                return sessions.values().stream().anyMatch(l -> l.contact.equals(c.name()) && !l.ended());
            }
        });
        rendezvous.watch((c, s) -> register(c.name(), s, true, 0, Rendezvous.VIA_INTENT));
    }

    /** An unclaimed live session with {@code c} (incoming, or an answer to their intent), claimed now. */
    private Optional<LiveSession> claimUnclaimed(Contact c) {
        for (LiveSession s : sessions.values()) {
            if (s.contact.equals(c.name()) && s.incoming && !s.ended() && s.claim()) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Maps the daemon's NAT verdict ({@code none}, {@code cone}, {@code symmetric}, else unknown). */
    public static NatType natType(String verdict) {
        return switch (verdict) {
            case "none" -> NatType.NONE;
            case "cone" -> NatType.CONE;
            case "symmetric" -> NatType.SYMMETRIC;
            default -> NatType.UNKNOWN;
        };
    }

    /** Asked at every handshake and, for kept-open paths, every keep round: one indexed lookup. */
    private boolean isContact(Ed25519PublicKey key) {
        return service.store().findContact(key).isPresent();
    }

    private Optional<Contact> contactOf(Ed25519PublicKey key) {
        return service.store().contacts().stream().filter(c -> c.publicKey().equals(key)).findFirst();
    }

    private void incoming(Session s) {
        Optional<Contact> c = contactOf(s.peer());
        if (c.isEmpty()) {
            s.close(); // removed between the handshake and now
            return;
        }
        register(c.get().name(), s, true, 0, Rendezvous.VIA_INCOMING);
    }

    /**
     * A session with {@code contactName}: an incoming one nobody claimed yet, else a new one through
     * the rendezvous (blocking, at most ~15 s). Unknown contact: 404; no path: 504 naming the reason.
     */
    LiveSession open(String contactName) throws InterruptedException {
        Contact contact = service.store().contact(contactName);
        Optional<LiveSession> waiting = claimUnclaimed(contact);
        if (waiting.isPresent() && waiting.get().handOut()) {
            return waiting.get();
        }
        long t0 = System.nanoTime();
        Rendezvous.Connected made;
        try {
            made = rendezvous.connect(contact);
        } catch (NoDirectPathException e) {
            throw new ApiException(504, e.getMessage());
        }
        LiveSession live = register(contact.name(), made.session(), false, (System.nanoTime() - t0) / 1_000_000, made.via());
        live.claim(); // the same session may have arrived as the answer to the peer's intent
        if (!live.handOut()) {
            // The connect met a session a caller already has: never give one session to two callers.
            throw new ApiException(409, "session_taken", "the live session with " + contact.name() + " is "
                    + live.id + ", already taken by an earlier POST /v1/sessions; use it or close it first");
        }
        return live;
    }

    /** The incoming session {@code id}, claimed now for the caller: 404 if unknown, 409 if not claimable. */
    LiveSession claim(String id) {
        LiveSession live = get(id);
        if (!live.incoming || live.ended() || !live.claim() || !live.handOut()) {
            throw new ApiException(409, "session_taken", "session " + id + " is not an unclaimed incoming session"
                    + (live.ended() ? " (it ended)" : ""));
        }
        return live;
    }

    /** Records a session once (the same one may come from a connect and from an intent's answer). */
    private LiveSession register(String contact, Session s, boolean incoming, long connectMillis, String via) {
        synchronized (sessions) {
            for (LiveSession l : sessions.values()) {
                if (l.session == s) {
                    return l;
                }
            }
            if (sessions.size() >= MAX_SESSIONS) {
                sessions.values().removeIf(LiveSession::ended);
            }
            if (sessions.size() >= MAX_SESSIONS) {
                s.close();
                throw new ApiException(503, "too many sessions open (at most " + MAX_SESSIONS + ")");
            }
            String id = HexFormat.of().formatHex(randomBytes(8));
            Optional<InetSocketAddress> relayed = link.relayOf(s.remoteAddress());
            if (relayed.isPresent()) {
                via = Rendezvous.VIA_RELAY; // whoever opened it: it runs through a relay
            }
            LiveSession live = new LiveSession(id, contact, s, incoming, connectMillis, via, relayed.orElse(null));
            sessions.put(id, live);
            if (incoming) {
                service.events().publish("session_incoming", live.json());
            }
            s.closed().whenComplete((v, error) -> {
                live.ended(error == null ? "closed" : oneLine(error));
                if (!live.claimed()) {
                    sessions.remove(id); // nobody took it, nobody will ask about it
                }
                service.events().publish("session_closed", Jackson.object().put("id", id).put("contact", contact)
                        .put("reason", error == null ? "closed" : oneLine(error)));
            });
            LOG.info("session {} with {} ({}, via {}, {})", id, contact, incoming ? "incoming" : "outgoing", via,
                    s.remoteAddress());
            return live;
        }
    }

    private static String oneLine(Throwable e) {
        Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /** The session with this id; 404 if there is none. */
    LiveSession get(String id) {
        LiveSession s = sessions.get(id);
        if (s == null) {
            throw new ApiException(404, "unknown_session", "no session " + id);
        }
        return s;
    }

    List<LiveSession> list() {
        return new ArrayList<>(sessions.values());
    }

    /** Closes cleanly (waits until the peer has our bytes, ≤ 10 s) and forgets it. */
    void close(String id) {
        LiveSession s = get(id);
        s.session.close();
        sessions.remove(id);
    }

    public SessionEndpoint endpoint() {
        return endpoint;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** The {@code relay} object of {@code GET /v1/status} (docs/api.md). */
    public com.fasterxml.jackson.databind.node.ObjectNode relayJson() {
        var o = Jackson.object().put("serving", link.serving());
        link.relayStats().ifPresent(st -> o.put("clients", st.clients()).put("conversations", st.conversations())
                .put("forwarded_bytes", st.forwardedBytes()).put("dropped", st.dropped()));
        var reg = link.registration();
        if (reg.isPresent()) {
            o.put("via", Addresses.format(reg.get().relay())).put("registered", reg.get().registered())
                    .put("published_to", relayPublisher == null ? 0 : relayPublisher.published());
        } else {
            o.putNull("via").put("registered", false);
        }
        return o;
    }

    @Override
    public void close() {
        if (relayPublisher != null) {
            relayPublisher.close();
        }
        rendezvous.close();
        endpoint.close();
        link.close();
    }
}
