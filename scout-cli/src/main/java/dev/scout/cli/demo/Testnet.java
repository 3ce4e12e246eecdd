package dev.scout.cli.demo;

import dev.scout.cli.common.CliException;

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
public final class Testnet implements AutoCloseable {
    public static final String HOST = LoopbackTestnet.HOST;
    public static final long REQUEST_TIMEOUT_MILLIS = LoopbackTestnet.REQUEST_TIMEOUT_MILLIS;

    private final LoopbackTestnet net;

    private Testnet(LoopbackTestnet net) {
        this.net = net;
    }

    /** See {@link LoopbackTestnet#start(int, int, Duration)}. */
    public static Testnet start(int count, int basePort, long timeoutMillis) {
        return start(count, basePort, timeoutMillis, HOST);
    }

    /** See {@link LoopbackTestnet#start(int, int, Duration, String)}: {@code ::1} runs an IPv6 testnet. */
    public static Testnet start(int count, int basePort, long timeoutMillis, String host) {
        try {
            return new Testnet(LoopbackTestnet.start(count, basePort, Duration.ofMillis(timeoutMillis), host));
        } catch (DhtException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    public List<DhtNode> nodes() {
        return net.nodes();
    }

    /** Node 0's address, the one to bootstrap from. */
    public InetSocketAddress entry() {
        return net.entry();
    }

    /** Closes every node; returns false if it was already closed. */
    public boolean closeOnce() {
        return net.closeOnce();
    }

    @Override
    public void close() {
        net.close();
    }
}
