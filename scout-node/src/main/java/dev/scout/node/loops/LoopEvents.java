package dev.scout.node.loops;

import dev.scout.app.Contact;
import dev.scout.app.ScoutApp;

import java.util.List;

/** What {@link AppLoops} asks of the node and tells it (the node announces each as an event). */
public interface LoopEvents {
    /**
     * Fetches new messages from {@code c}, announcing each new one.
     *
     * @param c the contact
     * @return the report
     */
    ScoutApp.InboxReport inbox(Contact c);

    /**
     * A republish of every record and unread message ended.
     *
     * @param items how many items were stored again
     */
    void republished(int items);

    /**
     * A round of polls ended.
     *
     * @param reachable contacts with a device known
     * @param contacts  contacts polled
     * @param problems  what went wrong, one line each
     */
    void polled(int reachable, int contacts, List<String> problems);

    /**
     * Reachability or the NAT type changed.
     *
     * @param description the new verdicts, one line
     */
    void reachabilityChanged(String description);
}
