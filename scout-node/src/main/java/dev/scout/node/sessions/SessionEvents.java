package dev.scout.node.sessions;

import java.net.InetSocketAddress;

/** What {@link SessionService} tells the node about its sessions (the node announces each as an event). */
public interface SessionEvents {
    /**
     * A contact opened a session.
     *
     * @param s the session, unclaimed unless a taker took it
     */
    void incoming(HeldSession s);

    /**
     * A session moved between a relay and the direct path.
     *
     * @param s  the session
     * @param to its new remote address
     */
    void pathChanged(HeldSession s, InetSocketAddress to);

    /**
     * A session ended.
     *
     * @param s      the session
     * @param reason {@code closed} or the failure's first line
     */
    void closed(HeldSession s, String reason);
}
