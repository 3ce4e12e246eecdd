package dev.scout.cli.demo;

import dev.scout.cli.common.CliException;

import dev.scout.app.ScoutApp;
import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.dht.Addresses;
import dev.scout.dht.udp.DualStackNode;
import dev.scout.session.DatagramLink;
import dev.scout.session.Session;
import dev.scout.session.SessionConfig;
import dev.scout.session.SessionEndpoint;
import dev.scout.session.SessionStream;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The demo's last chapter: Alice opens a direct session (scout-session: Noise IK over each one's DHT
 * socket) to the address Bob published in their record, and a line goes through it.
 */
public final class DemoSession {
    private DemoSession() {
    }

    /** Connects, sends {@code line}, has Bob read it; reports each step with its time. */
    public static void run(Ed25519KeyPair alice, DualStackNode aliceNode, Ed25519KeyPair bob, DualStackNode bobNode, List<ScoutApp.ContactDevice> bobDevices,
                    String line, Consumer<String> step) throws Exception {
        Ed25519PublicKey aliceKey = alice.publicKey();
        Ed25519PublicKey bobKey = bob.publicKey();
        List<InetSocketAddress> bobAddresses = new ArrayList<>();
        bobDevices.forEach(d -> bobAddresses.addAll(d.addresses()));
        try (SessionEndpoint a = SessionEndpoint.start(alice, DatagramLink.of(aliceNode), bobKey::equals, SessionConfig.defaults());
             SessionEndpoint b = SessionEndpoint.start(bob, DatagramLink.of(bobNode), aliceKey::equals, SessionConfig.defaults())) {
            CompletableFuture<Session> atBob = new CompletableFuture<>();
            b.onSession(atBob::complete);
            long t0 = System.nanoTime();
            Session s = a.connect(bobKey, bobAddresses).get(15, TimeUnit.SECONDS);
            long connected = System.nanoTime();
            SessionStream out = s.openStream();
            out.output().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.output().close();
            Session bobSide = atBob.get(15, TimeUnit.SECONDS);
            SessionStream in = bobSide.acceptStream().get(15, TimeUnit.SECONDS);
            String got = new BufferedReader(new InputStreamReader(in.input(), StandardCharsets.UTF_8)).readLine();
            long read = System.nanoTime();
            if (!line.equals(got)) {
                throw new CliException("demo failed: Bob read \"" + got + "\" through the session");
            }
            step.accept(String.format("Alice opens a direct, encrypted session to Bob's published address %s "
                    + "(Noise IK, on her DHT socket): %.1f ms", Addresses.format(s.remoteAddress()), (connected - t0) / 1e6));
            step.accept(String.format("Bob reads through it: \"%s\" (%.1f ms from the first packet to the line)", got,
                    (read - t0) / 1e6));
            s.close();
        }
    }
}
