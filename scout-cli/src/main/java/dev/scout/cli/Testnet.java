package dev.scout.cli;

import dev.scout.dht.DhtException;
import dev.scout.dht.udp.DhtNode;
import dev.scout.dht.udp.LoopbackTestnet;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The loopback network behind {@code scout testnet}, {@code scout demo} and the CLI tests: a
 * {@link LoopbackTestnet} whose start-up failures are reported as one-line {@link CliException}s.
 */
final class Testnet implements AutoCloseable {
    static final String HOST = LoopbackTestnet.HOST;
    static final long REQUEST_TIMEOUT_MILLIS = LoopbackTestnet.REQUEST_TIMEOUT_MILLIS;

    private final LoopbackTestnet net;

    private Testnet(LoopbackTestnet net) {
        this.net = net;
    }

    /** See {@link LoopbackTestnet#start(int, int, Duration)}. */
    static Testnet start(int count, int basePort, long timeoutMillis) {
        return start(count, basePort, timeoutMillis, HOST);
    }

    /** See {@link LoopbackTestnet#start(int, int, Duration, String)}: {@code ::1} runs an IPv6 testnet. */
    static Testnet start(int count, int basePort, long timeoutMillis, String host) {
        try {
            return new Testnet(LoopbackTestnet.start(count, basePort, Duration.ofMillis(timeoutMillis), host));
        } catch (DhtException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    List<DhtNode> nodes() {
        return net.nodes();
    }

    /** Node 0's address, the one to bootstrap from. */
    InetSocketAddress entry() {
        return net.entry();
    }

    /** Closes every node; returns false if it was already closed. */
    boolean closeOnce() {
        return net.closeOnce();
    }

    @Override
    public void close() {
        net.close();
    }
}
