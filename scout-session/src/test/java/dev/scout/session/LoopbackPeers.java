package dev.scout.session;

import dev.scout.dht.Ed25519KeyPair;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;

/** Base of tests with endpoints on 127.0.0.1: makes them, and closes them after each test. */
abstract class LoopbackPeers {
    private final List<Peers> all = new CopyOnWriteArrayList<>();

    Peers peer(SessionConfig config) throws IOException {
        return peer(config, Ed25519KeyPair.generate());
    }

    /** A device of {@code identity}; several may share one. */
    Peers peer(SessionConfig config, Ed25519KeyPair identity) throws IOException {
        Peers p = new Peers(config, identity);
        all.add(p);
        return p;
    }

    /** Two peers that trust each other. */
    Peers[] pair(SessionConfig config) throws IOException {
        Peers a = peer(config);
        Peers b = peer(config);
        a.trust(b);
        b.trust(a);
        return new Peers[] {a, b};
    }

    @AfterEach
    void closeAll() {
        all.forEach(Peers::close);
    }
}
