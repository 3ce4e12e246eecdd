package dev.scout.session;

import dev.scout.dht.DatagramFilter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * A test wrapper around a real link: outgoing datagrams pass through {@code outgoing}, which may
 * drop, duplicate, tamper with or replay them; {@link #lossy} drops a seeded fraction.
 */
final class TapLink implements DatagramLink {
    private final DatagramLink inner;
    volatile BiFunction<byte[], InetSocketAddress, List<byte[]>> outgoing = (b, to) -> List.of(b);

    TapLink(DatagramLink inner) {
        this.inner = inner;
    }

    /** Drops each outgoing datagram with probability {@code p}, reproducibly from {@code seed}. */
    static TapLink lossy(DatagramLink inner, double p, long seed) {
        TapLink t = new TapLink(inner);
        Random r = new Random(seed);
        t.outgoing = (b, to) -> {
            synchronized (r) {
                return r.nextDouble() < p ? List.of() : List.of(b);
            }
        };
        return t;
    }

    /** Sends raw bytes past the filter (an attacker's injection). */
    void inject(byte[] datagram, InetSocketAddress to) {
        inner.send(datagram, to);
    }

    @Override
    public void send(byte[] datagram, InetSocketAddress to) {
        for (byte[] b : outgoing.apply(datagram, to)) {
            inner.send(b, to);
        }
    }

    @Override
    public void setReceiver(DatagramFilter receiver) {
        inner.setReceiver(receiver);
    }

    @Override
    public InetSocketAddress localAddress() {
        return inner.localAddress();
    }
}
