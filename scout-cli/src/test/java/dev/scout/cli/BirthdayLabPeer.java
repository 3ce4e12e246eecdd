package dev.scout.cli;

import dev.scout.dht.Ed25519KeyPair;
import dev.scout.dht.Ed25519PublicKey;
import dev.scout.session.ContactAddressPolicy;
import dev.scout.session.NatType;
import dev.scout.session.Session;
import dev.scout.session.SessionConfig;
import dev.scout.session.SessionEndpoint;
import dev.scout.session.UdpLink;
import dev.scout.session.punch.BirthdayLink;
import dev.scout.session.punch.BirthdayPunch;
import dev.scout.session.punch.ProbeSchedule;
import dev.scout.session.punch.Probing;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One device of {@link BirthdayPunchLabTest}, run in a NAT-lab namespace: a session endpoint on UDP port
 * LOCALPORT behind a {@link BirthdayLink}, a new one per attempt, driven line by line on stdin. Arguments: own seed (hex), then the
 * public keys (hex) it accepts.
 *
 * <pre>
 * try N PEERKEY OURNAT THEIRNAT THEIRADDRESS STARTMILLIS LOCALPORT
 *   → result N direct MS REMOTE | result N failed REASON     (MS from the start time)
 *   → clean N sockets=OPEN probes=SENT
 * </pre>
 * The attempt is what the daemon's rendezvous does: birthday punching if {@link BirthdayPunch#applies}
 * (the symmetric side with its extra sockets, the cone side probing), else one plain connect.
 */
public final class BirthdayLabPeer {
    private BirthdayLabPeer() {
    }

    public static void main(String[] args) throws Exception {
        Ed25519KeyPair id = Ed25519KeyPair.ofSeed(HexFormat.of().parseHex(args[0]));
        Set<Ed25519PublicKey> contacts = Stream.of(args).skip(1).map(h -> Ed25519PublicKey.of(HexFormat.of().parseHex(h)))
                .collect(Collectors.toSet());
        System.out.println("ready " + HexFormat.of().formatHex(id.publicKey().bytes()));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split(" ");
            if (w.length != 8 || !w[0].equals("try")) {
                System.out.println("error unknown command: " + line);
                continue;
            }
            String n = w[1];
            Ed25519PublicKey peer = Ed25519PublicKey.of(HexFormat.of().parseHex(w[2]));
            NatType ours = NatType.valueOf(w[3]);
            NatType theirs = NatType.valueOf(w[4]);
            String[] hp = w[5].split(":");
            InetSocketAddress theirAddress = new InetSocketAddress(InetAddress.getByName(hp[0]), Integer.parseInt(hp[1]));
            long start = Long.parseLong(w[6]);
            // a socket and endpoint per attempt, on a port of its own: what one attempt's probes opened in
            // the NATs (conntrack keeps it 30 s) cannot help the next one
            UdpLink udp = UdpLink.start(new InetSocketAddress("0.0.0.0", Integer.parseInt(w[7])));
            BirthdayLink link = BirthdayLink.over(udp);
            SessionEndpoint endpoint = SessionEndpoint.start(id, link, contacts::contains, SessionConfig.defaults());
            LinkedBlockingQueue<Session> incoming = new LinkedBlockingQueue<>();
            endpoint.onSession(incoming::add);
            endpoint.setLocalNatType(ours);
            Probing probing = null;
            Session s = null;
            String failure = null;
            long delayMillis = Math.max(0, start - System.currentTimeMillis());
            try {
                if (BirthdayPunch.applies(ours, theirs) && ours == NatType.CONE) {
                    probing = BirthdayPunch.probe(link, theirAddress.getAddress(), ContactAddressPolicy.ALLOW_PRIVATE,
                            ProbeSchedule.random(ProbeSchedule.MAX_PROBES, ProbeSchedule.MAX_DURATION, new SecureRandom()),
                            Duration.ofMillis(delayMillis));
                    s = incoming.poll(delayMillis + BirthdayPunch.TIME.toMillis() + 2_000, TimeUnit.MILLISECONDS);
                    failure = s == null ? "no session within 20 s" : null;
                } else {
                    Thread.sleep(delayMillis); // the rendezvous time
                    s = BirthdayPunch.applies(ours, theirs)
                            ? BirthdayPunch.fromSymmetricSide(endpoint, link, peer, theirAddress, BirthdayPunch.SOCKETS,
                                    BirthdayPunch.TIME).get(30, TimeUnit.SECONDS)
                            : endpoint.connect(peer, java.util.List.of(theirAddress), theirs, Duration.ofSeconds(8))
                                    .get(30, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                Throwable c = e.getCause() == null ? e : e.getCause();
                failure = c.getClass().getSimpleName() + ": " + String.valueOf(c.getMessage()).replace('\n', ' ');
            }
            long ms = System.currentTimeMillis() - start;
            if (probing != null) {
                probing.stop();
                probing.awaitEnd(Duration.ofSeconds(5));
            }
            if (s != null) {
                System.out.println("result " + n + " direct " + ms + " " + s.remoteAddress()
                        + (link.isExtraSocket(s.remoteAddress()) ? " extra-socket-port=" + link.localPort(s.remoteAddress()).orElse(-1) : ""));
                InetSocketAddress remote = s.remoteAddress();
                try {
                    s.close();
                } catch (RuntimeException e) {
                    // the other side closed first: the session is over either way
                }
                endpoint.forgetPath(peer);
                link.release(remote);
            } else {
                System.out.println("result " + n + " failed " + failure);
            }
            int open = link.openSockets();
            endpoint.close();
            link.close();
            udp.close();
            System.out.println("clean " + n + " sockets=" + open + " probes=" + (probing == null ? 0 : probing.sent()));
        }
    }
}
