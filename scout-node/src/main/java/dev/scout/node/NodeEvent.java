package dev.scout.node;

import dev.scout.app.Contact;
import dev.scout.app.ReceivedMessage;
import dev.scout.app.ScoutApp;

import java.util.List;

/**
 * Something a {@link ScoutNode} noticed, delivered to its {@link ScoutNode#onEvent event listeners} on
 * the node's listener executor, in the order it happened.
 */
public sealed interface NodeEvent {
    /**
     * A new message from a contact (announced once, whoever fetched it).
     *
     * @param message the message
     */
    record MessageReceived(ReceivedMessage message) implements NodeEvent {
    }

    /**
     * A contact's devices, as the shared record lists them, changed (or were seen for the first time).
     *
     * @param contact the contact
     * @param devices its devices now
     */
    record DevicesChanged(Contact contact, List<ScoutApp.ContactDevice> devices) implements NodeEvent {
        /**
         * Copies the list.
         *
         * @param contact the contact
         * @param devices its devices now
         */
        public DevicesChanged {
            devices = List.copyOf(devices);
        }
    }

    /**
     * A contact opened a session; it waits unclaimed unless an {@link ScoutNode#onSession} listener took it.
     *
     * @param session the session
     */
    record SessionIncoming(ContactSession session) implements NodeEvent {
    }

    /**
     * A session ended.
     *
     * @param session the session
     * @param reason  {@code closed}, or the failure's first line
     */
    record SessionClosed(ContactSession session, String reason) implements NodeEvent {
    }

    /**
     * A session moved to another path: from its relay to the direct path once hole punching worked
     * ({@link ContactSession#via()} is then {@code direct}), or to a relay when the direct path failed.
     *
     * @param session the session (its {@code via} and {@code relay} as they are now)
     * @param remote  where the peer's packets come from now (a relay's virtual address while relayed)
     */
    record SessionPathChanged(ContactSession session, java.net.InetSocketAddress remote) implements NodeEvent {
    }

    /**
     * The node re-stored its records and unread messages.
     *
     * @param items how many items it stored
     */
    record Republished(int items) implements NodeEvent {
    }

    /**
     * The node checked every contact for new messages.
     *
     * @param reachable contacts whose record lists at least one device
     * @param contacts  contacts checked
     * @param problems  one line per contact that could not be checked, or per message that was dropped
     */
    record Polled(int reachable, int contacts, List<String> problems) implements NodeEvent {
        /**
         * Copies the list.
         *
         * @param reachable contacts whose record lists at least one device
         * @param contacts  contacts checked
         * @param problems  one line per problem
         */
        public Polled {
            problems = List.copyOf(problems);
        }
    }

    /**
     * The network under the node changed (issue 20): it re-joins the DHT, learns its external address and
     * NAT type again, re-publishes its device entries and re-registers with its relay.
     *
     * @param cause       {@code local_addresses}, {@code resumed}, {@code external_address} or {@code dht_back}
     * @param description one line saying what changed
     */
    record NetworkChanged(String cause, String description) implements NodeEvent {
    }

    /**
     * The node lost the whole DHT (nothing answers: our outage, not theirs) or got it back. While offline
     * it probes with backoff, at most every 15 s.
     *
     * @param online whether the DHT answers now
     */
    record ConnectivityChanged(boolean online) implements NodeEvent {
    }

    /**
     * The node's verdict on its reachability or NAT changed.
     *
     * @param description one line naming each family's reachability and NAT
     */
    record ReachabilityChanged(String description) implements NodeEvent {
    }
}
