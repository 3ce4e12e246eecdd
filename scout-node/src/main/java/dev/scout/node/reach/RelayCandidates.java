package dev.scout.node.reach;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Which announced relays to probe and which to use (docs/sessions.md, "Finding a home relay"), without
 * the network, so the bounds are tested on their own. Every look at the DHT probes at most
 * {@value #PROBES_PER_ROUND} addresses, picked at random from the announced ones we have not probed
 * lately; an address that did not answer, refused or stopped answering is not probed again for
 * {@value #AVOID_MILLIS} ms. So a flood of fake announcements costs at most
 * {@value #PROBES_PER_ROUND} probes per look, each fake address one probe per 10 minutes, and once all
 * are known bad, nothing. The {@value #KEEP} fastest that answered are kept, best first.
 */
final class RelayCandidates {
    static final int PROBES_PER_ROUND = 8;
    static final long AVOID_MILLIS = 10 * 60_000L;
    static final int KEEP = 2;
    /** Addresses remembered as bad at once (least recently marked forgotten first). */
    static final int MAX_AVOIDED = 4_096;

    /** A relay that answered a probe, and how fast. */
    record Verified(InetSocketAddress relay, long rttMillis) {
    }

    private final Random random;
    private final Map<InetSocketAddress, Long> avoidUntil = new LinkedHashMap<>(16, 0.75f, true);
    private final List<Verified> verified = new ArrayList<>();

    RelayCandidates(Random random) {
        this.random = random;
    }

    /**
     * The announced addresses to probe now: usable, neither verified nor avoided, at most
     * {@value #PROBES_PER_ROUND}, in random order (fakes listed first cannot shadow the rest).
     */
    synchronized List<InetSocketAddress> toProbe(List<InetSocketAddress> announced, long now, Predicate<InetSocketAddress> usable) {
        java.util.Set<InetSocketAddress> seen = new java.util.LinkedHashSet<>();
        for (InetSocketAddress a : announced) {
            if (usable.test(a) && !avoided(a, now) && verified.stream().noneMatch(v -> v.relay().equals(a))) {
                seen.add(a);
                if (seen.size() >= 32 * PROBES_PER_ROUND) {
                    break; // enough to choose from; the rest wait for another look
                }
            }
        }
        List<InetSocketAddress> fresh = new ArrayList<>(seen);
        Collections.shuffle(fresh, random);
        return List.copyOf(fresh.subList(0, Math.min(PROBES_PER_ROUND, fresh.size())));
    }

    /** A probe answered after {@code rttMillis}: kept if among the {@value #KEEP} fastest. */
    synchronized void answered(InetSocketAddress relay, long rttMillis) {
        verified.removeIf(v -> v.relay().equals(relay));
        verified.add(new Verified(relay, rttMillis));
        verified.sort(Comparator.comparingLong(Verified::rttMillis));
        while (verified.size() > KEEP) {
            verified.remove(verified.size() - 1);
        }
    }

    /** The relay did not answer, refused us or stopped answering: not used or probed again for a while. */
    synchronized void avoid(InetSocketAddress relay, long now) {
        verified.removeIf(v -> v.relay().equals(relay));
        avoidUntil.put(relay, now + AVOID_MILLIS);
        Iterator<Map.Entry<InetSocketAddress, Long>> it = avoidUntil.entrySet().iterator();
        while (avoidUntil.size() > MAX_AVOIDED && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /** {@return the fastest verified relay, if any} */
    synchronized Optional<Verified> best() {
        return verified.isEmpty() ? Optional.empty() : Optional.of(verified.get(0));
    }

    /** {@return the verified relays kept, fastest first} */
    synchronized List<Verified> kept() {
        return List.copyOf(verified);
    }

    private boolean avoided(InetSocketAddress a, long now) {
        Long until = avoidUntil.get(a);
        if (until != null && until <= now) {
            avoidUntil.remove(a);
            return false;
        }
        return until != null;
    }
}
