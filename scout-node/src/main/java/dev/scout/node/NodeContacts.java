package dev.scout.node;

import dev.scout.node.sessions.SessionService;
import dev.scout.node.push.NodePush;
import dev.scout.app.Contact;
import dev.scout.core.crypto.PairKeys;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.dht.ScoutException;

import java.util.List;
import java.util.Optional;

/** {@link ScoutNode#contacts()}: the store's contacts, and what adding or removing one changes in the node. */
final class NodeContacts implements Contacts {
    private final NodeStore store;
    private final SessionService sessions;
    private final NodeEvents events;
    private final NodePush push;

    NodeContacts(NodeStore store, SessionService sessions, NodeEvents events, NodePush push) {
        this.store = store;
        this.sessions = sessions;
        this.events = events;
        this.push = push;
    }

        @Override
        public Contact add(String name, Ed25519PublicKey publicKey) {
            if (publicKey.equals(store.requireIdentity().publicKey())) {
                throw new ScoutException("that is this node's own public key");
            }
            PairKeys.derive(store.requireIdentity(), publicKey); // fails early on a key no exchange can be made with
            Contact added = store.addContact(name, publicKey);
            push.refresh();
            return added;
        }

        @Override
        public void remove(String name) {
            Contact c = store.contact(name);
            store.removeContact(c.name());
            sessions.forget(c);
            events.forget(c);
            push.forget(c);
        }

        @Override
        public List<Contact> list() {
            return store.contacts();
        }

        @Override
        public Contact get(String name) {
            return store.contact(name);
        }

        @Override
        public Optional<Contact> find(Ed25519PublicKey publicKey) {
            return store.findContact(publicKey);
        }
    }

