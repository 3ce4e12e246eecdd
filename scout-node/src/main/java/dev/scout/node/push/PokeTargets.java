package dev.scout.node.push;

import dev.scout.app.AppEntries;
import dev.scout.app.ScoutApp;
import dev.scout.core.RecordEntry;
import dev.scout.dht.FormatException;
import dev.scout.session.ContactAddressPolicy;
import dev.scout.session.relay.RelayEntry;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Where a poke to a contact goes, from what the daemon already knows (no lookup): the paths of live
 * sessions with it (kept-open paths included), its devices' published addresses and its live relay's
 * virtual route (kind-5 entries), at most {@value #MAX_TARGETS} of them. Over a NAT only the first and
 * the last arrive; on a LAN, loopback or a public host the addresses do too. A contact whose relay entry
 * says it is behind a NAT gets no poke at its published addresses: one arriving at its router unasked
 * takes the conntrack tuple that a later hole punch between the two needs (the NAT lab showed every
 * relay-first session staying on the relay). For the same reason a record change's poke (a new relay entry,
 * a connect intent, a sync that wrote: often just before a punch) never goes to published addresses; a
 * message's does, unless the contact's relay entry says it is behind a NAT.
 */
public final class PokeTargets {
    public static final int MAX_TARGETS = 8;

    private PokeTargets() {
    }

    /**
     * @param paths        live session paths to the contact (real or virtual addresses)
     * @param devices      the contact's devices, as last read
     * @param theirEntries the contact's side's entries, as last read
     * @param policy       which addresses from contacts we may send to (relay entries)
     * @param route        the virtual address reaching (relay, tag)
     * @param nowMillis    the clock, to skip expired relay entries
     * @param addresses    whether the devices' published addresses may be poked at all (a message's poke;
     *                     a record change's goes through paths and the relay only)
     * @return the destinations, without duplicates
     */
    public static List<InetSocketAddress> of(List<InetSocketAddress> paths, List<ScoutApp.ContactDevice> devices,
                                             List<RecordEntry> theirEntries, ContactAddressPolicy policy,
                                             BiFunction<InetSocketAddress, byte[], InetSocketAddress> route, long nowMillis,
                                             boolean addresses) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetSocketAddress p : paths) {
            add(out, p);
        }
        RelayEntry relay = null;
        for (RecordEntry e : theirEntries) {
            if (AppEntries.kindOf(e.id()) != AppEntries.KIND_RELAY || e.isDeleted()) {
                continue;
            }
            try {
                RelayEntry r = RelayEntry.decode(e.content(), policy);
                if (r.isLive(nowMillis) && (relay == null || r.expiresAt() > relay.expiresAt())) {
                    relay = r;
                }
            } catch (FormatException ex) {
                // a malformed entry names no relay
            }
        }
        if (relay != null) {
            add(out, route.apply(relay.relay(), relay.tag()));
        }
        if (!addresses || relay != null && relay.nat() != dev.scout.session.NatType.NONE) {
            // Behind a NAT its relay reaches it, and a datagram of ours arriving at its router unasked
            // would take the conntrack tuple a later hole punch needs (docs/sessions.md, "Hole punching").
            return cap(out);
        }
        for (ScoutApp.ContactDevice d : devices) {
            for (InetSocketAddress a : d.addresses()) {
                add(out, a);
            }
        }
        return cap(out);
    }

    private static List<InetSocketAddress> cap(List<InetSocketAddress> out) {
        return out.size() > MAX_TARGETS ? List.copyOf(out.subList(0, MAX_TARGETS)) : out;
    }

    private static void add(List<InetSocketAddress> out, InetSocketAddress a) {
        if (a != null && !out.contains(a)) {
            out.add(a);
        }
    }
}
