package dev.scout.node.sessions;

import dev.scout.app.ScoutApp;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Which of a contact's devices a pipe talks to when several of them (one identity, several daemons)
 * open sessions with us at once (issue 19). Sessions carry the identity, not the device, but each
 * device has its own socket, so sessions from different remote addresses are different devices. The
 * rule: the most recently active device wins — the newest unclaimed incoming session is the one
 * claimed — and every other device's session with that contact is closed, so its pipe ends with
 * one line and a non-zero exit instead of waiting for bytes that never come. A device that comes
 * late — its session arrives just after the chosen one ended (a short pipe is over in a second) —
 * is closed too, for {@value #LATE_SECONDS} s after that end. A caller may also name the device
 * ({@code scout pipe NAME --device DEVICE}): then only that device's sessions are taken or made.
 */
final class DeviceChoice {
    /** How long after a chosen session ended another device's new session still counts as late. */
    static final long LATE_SECONDS = 30;

    private record Ended(InetSocketAddress remote, long atNanos) {
    }

    /** Per contact, the chosen session that ended last. */
    private final Map<String, Ended> lastChosen = new HashMap<>();

    /** A claimed (chosen) session with {@code contact} at {@code remote} ended. */
    synchronized void chosenEnded(String contact, InetSocketAddress remote) {
        lastChosen.put(contact, new Ended(remote, System.nanoTime()));
    }

    /** Whether a new incoming session comes late from another device than the one chosen last. */
    synchronized boolean lateFromAnotherDevice(HeldSession incoming) {
        Ended e = lastChosen.get(incoming.contact());
        return e != null && incoming.relay().isEmpty() && !e.remote().equals(incoming.session().remoteAddress())
                && System.nanoTime() - e.atNanos() < TimeUnit.SECONDS.toNanos(LATE_SECONDS);
    }

    /** The newest live, unclaimed incoming session with {@code contact}. */
    static Optional<HeldSession> newestUnclaimed(Collection<HeldSession> sessions, String contact) {
        return newestUnclaimed(sessions, contact, null);
    }

    /** As above, only from {@code device} (null: any device of the contact). */
    static Optional<HeldSession> newestUnclaimed(Collection<HeldSession> sessions, String contact,
                                                    ScoutApp.ContactDevice device) {
        return sessions.stream().filter(s -> s.contact().equals(contact) && s.incoming() && !s.ended() && !s.claimed()
                        && (device == null || from(s, device)))
                .max(Comparator.comparingLong(s -> s.createdNanos));
    }

    /**
     * Whether {@code s} comes from {@code device}: its remote address is one the device publishes (its
     * socket's external address behind a cone NAT, a LAN or loopback address). A relayed session's
     * address is virtual, so never matches.
     */
    static boolean from(HeldSession s, ScoutApp.ContactDevice device) {
        return s.relay().isEmpty() && device.addresses().contains(s.session().remoteAddress());
    }

    /**
     * The contact's device called {@code name} (case-insensitively; of several so named, the one that
     * updated its entry last).
     *
     * @param unknown makes the failure when there is none, from a message naming the devices the contact has
     */
    static ScoutApp.ContactDevice named(List<ScoutApp.ContactDevice> devices, String contact, String name,
                                        Function<String, ? extends RuntimeException> unknown) {
        return find(devices, name).orElseThrow(() -> unknown.apply(contact + " has no device named " + name + " (its devices: "
                        + (devices.isEmpty() ? "none known yet" : String.join(", ", devices.stream()
                        .map(d -> d.name() == null || d.name().isEmpty() ? "#" + d.tag() : d.name()).toList())) + ")"));
    }

    /** {@return the device called {@code name}, as {@link #named} finds it, if there is one} */
    static Optional<ScoutApp.ContactDevice> find(List<ScoutApp.ContactDevice> devices, String name) {
        return devices.stream().filter(d -> d.name() != null && d.name().equalsIgnoreCase(name))
                .max(Comparator.comparingLong(ScoutApp.ContactDevice::updatedAt));
    }

    /** The unclaimed sessions with {@code chosen}'s contact from its other devices: to close now. */
    static List<HeldSession> losers(Collection<HeldSession> sessions, HeldSession chosen) {
        List<HeldSession> out = new ArrayList<>();
        for (HeldSession s : sessions) {
            if (s != chosen && s.contact().equals(chosen.contact()) && !s.claimed() && !s.ended() && otherDevice(s, chosen)) {
                out.add(s);
            }
        }
        return out;
    }

    /** Whether a new incoming session comes from another device than a claimed, live one with that contact. */
    static boolean anotherDeviceIsChosen(Collection<HeldSession> sessions, HeldSession incoming) {
        return sessions.stream().anyMatch(s -> s != incoming && s.contact().equals(incoming.contact()) && s.claimed()
                && !s.ended() && otherDevice(s, incoming));
    }

    /** Different sockets, so different devices; a relayed session's address is virtual, so never judged. */
    private static boolean otherDevice(HeldSession a, HeldSession b) {
        return a.relay().isEmpty() && b.relay().isEmpty() && !a.session().remoteAddress().equals(b.session().remoteAddress());
    }
}
