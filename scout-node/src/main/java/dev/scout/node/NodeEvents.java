package dev.scout.node;

import dev.scout.app.Contact;
import dev.scout.app.ReceivedMessage;
import dev.scout.app.ScoutApp;
import dev.scout.node.loops.LoopEvents;
import dev.scout.node.sessions.HeldSession;
import dev.scout.node.sessions.SessionEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A node's listeners and the app operations that feed them: whoever asks (the poll loop or a caller), a
 * new message is announced once and a change in a contact's devices once. Listeners run on the
 * executor the user chose; a listener that throws is logged and the others still run.
 */
final class NodeEvents {
    private static final Logger LOG = LoggerFactory.getLogger(NodeEvents.class);

    private final Executor executor;
    private final List<Consumer<NodeEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, List<ScoutApp.ContactDevice>> knownDevices = new ConcurrentHashMap<>();

    NodeEvents(Executor executor) {
        this.executor = executor;
    }

    void add(Consumer<NodeEvent> listener) {
        listeners.add(listener);
    }

    void publish(NodeEvent e) {
        for (Consumer<NodeEvent> l : listeners) {
            run(() -> l.accept(e));
        }
    }

    /** Runs {@code task} on the listener executor, logging what it throws. */
    void run(Runnable task) {
        executor.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException ex) {
                LOG.warn("a ScoutNode listener failed", ex);
            }
        });
    }

    /** {@return the sessions' news as events, each session as its {@link ContactSession}} */
    SessionEvents sessionEvents() {
        return new SessionEvents() {
            @Override
            public void incoming(HeldSession s) {
                publish(new NodeEvent.SessionIncoming(ContactSession.of(s)));
            }

            @Override
            public void pathChanged(HeldSession s, InetSocketAddress to) {
                publish(new NodeEvent.SessionPathChanged(ContactSession.of(s), to));
            }

            @Override
            public void closed(HeldSession s, String reason) {
                publish(new NodeEvent.SessionClosed(ContactSession.of(s), reason));
            }
        };
    }

    /** {@return the loops' news as events; their polls fetch through {@link #inbox}} */
    LoopEvents loopEvents(ScoutApp app) {
        return new LoopEvents() {
            @Override
            public ScoutApp.InboxReport inbox(Contact c) {
                return NodeEvents.this.inbox(app, c);
            }

            @Override
            public void republished(int items) {
                publish(new NodeEvent.Republished(items));
            }

            @Override
            public void polled(int reachable, int contacts, List<String> problems) {
                publish(new NodeEvent.Polled(reachable, contacts, problems));
            }

            @Override
            public void reachabilityChanged(String description) {
                publish(new NodeEvent.ReachabilityChanged(description));
            }
        };
    }

    ScoutApp.SyncReport sync(ScoutApp app, Contact contact) {
        ScoutApp.SyncReport r = app.sync(contact);
        devicesSeen(contact, r.devices());
        return r;
    }

    ScoutApp.InboxReport inbox(ScoutApp app, Contact contact) {
        ScoutApp.InboxReport r = app.inbox(contact);
        for (ReceivedMessage m : r.received()) {
            publish(new NodeEvent.MessageReceived(m));
        }
        devicesSeen(contact, app.storedDevices(contact));
        return r;
    }

    void forget(Contact contact) {
        knownDevices.remove(contact.publicKey().toHex());
    }

    private void devicesSeen(Contact contact, List<ScoutApp.ContactDevice> devices) {
        List<ScoutApp.ContactDevice> before = knownDevices.put(contact.publicKey().toHex(), devices);
        if (before != null && !sameAddresses(before, devices) || before == null && !devices.isEmpty()) {
            publish(new NodeEvent.DevicesChanged(contact, devices));
        }
    }

    private static boolean sameAddresses(List<ScoutApp.ContactDevice> a, List<ScoutApp.ContactDevice> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).tag() != b.get(i).tag() || !a.get(i).addresses().equals(b.get(i).addresses())
                    || !a.get(i).name().equals(b.get(i).name())) {
                return false;
            }
        }
        return true;
    }
}
