package dev.scout.dht.transport;

import dev.scout.dht.SendFailure;
import dev.scout.dht.node.NodeCore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Drives a {@link NodeCore} from a real UDP socket: one NIO {@link DatagramChannel}, one I/O thread that
 * reads datagrams, runs the core's timers and executes tasks handed over from other threads. The core is
 * touched only by that thread.
 *
 * <pre>{@code
 * UdpTransport udp = UdpTransport.open(new InetSocketAddress("127.0.0.1", 0));
 * NodeCore core = new NodeCore(id, config, UdpTransport::clock, new SecureRandom(), udp::send);
 * udp.start(core, "dht-loop");
 * udp.execute(() -> core.bootstrap(routers));
 * }</pre>
 */
public final class UdpTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UdpTransport.class);
    private static final long NANOS_ORIGIN = System.nanoTime();
    /** Datagrams handled before tasks and timers get a turn, so a flood cannot starve them. */
    private static final int BATCH = 256;

    private final DatagramChannel channel;
    private final Selector selector;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(65_536);
    private final byte[] copyBuffer = new byte[65_536];
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile Throwable failure;
    private volatile boolean running;
    private Thread thread;
    private NodeCore core;
    private long sendFailures;
    private volatile SendFailure lastSendFailure;
    private volatile dev.scout.dht.DatagramFilter filter;

    private UdpTransport(DatagramChannel channel, Selector selector) {
        this.channel = channel;
        this.selector = selector;
    }

    /** Binds a non-blocking UDP socket. IPv6 bind addresses get an IPv6 socket. */
    public static UdpTransport open(InetSocketAddress bind) throws IOException {
        return open(bind, false);
    }

    /**
     * As {@link #open(InetSocketAddress)}; {@code shareWithOtherFamily} sets SO_REUSEADDR so that an IPv4
     * and an IPv6 socket of one dual-stack node can bind the same port (Java cannot set IPV6_V6ONLY, and a
     * wildcard IPv6 socket otherwise claims the IPv4 port too). Linux still delivers IPv4 datagrams to the
     * IPv4 socket and IPv6 ones to the IPv6 socket.
     */
    public static UdpTransport open(InetSocketAddress bind, boolean shareWithOtherFamily) throws IOException {
        boolean v6 = bind.getAddress() instanceof java.net.Inet6Address;
        DatagramChannel channel = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            if (shareWithOtherFamily) {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            channel.bind(bind);
            channel.configureBlocking(false);
            Selector selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            return new UdpTransport(channel, selector);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Monotonic milliseconds: the clock real nodes run on. */
    public static long clock() {
        return (System.nanoTime() - NANOS_ORIGIN) / 1_000_000;
    }

    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("socket closed", e);
        }
    }

    /** Starts the I/O thread driving {@code node}. */
    public synchronized void start(NodeCore node, String threadName) {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        this.core = node;
        running = true;
        thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code task} on the I/O thread (never, if the loop has died: see {@link #terminated()}). */
    public void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Sends a datagram; called by the core on the I/O thread. A full socket buffer drops it, like the network would. */
    public void send(byte[] datagram, InetSocketAddress to) {
        try {
            channel.send(ByteBuffer.wrap(datagram), to);
        } catch (IOException | RuntimeException e) {
            sendFailures++;
            lastSendFailure = SendFailure.of(to, e);
            if (core != null && inLoop() && lastSendFailure.noRoute()) {
                // a send on this thread is the core's (raw sends from other threads are not): fail its request now
                core.sendRefused();
            }
            LOG.debug("send to {} failed: {}", to, e.toString());
        }
    }

    private void loop() {
        try {
            while (running) {
                long wait = Math.min(1_000, core.nextDeadline() - clock());
                if (tasks.isEmpty() && wait > 0) {
                    selector.select(wait);
                } else {
                    selector.selectNow();
                }
                selector.selectedKeys().clear();
                receive();
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    runSafely(task);
                }
                runSafely(core::tick);
            }
        } catch (Throwable e) {
            // Anything that escapes the core (an Error such as OutOfMemoryError, or a failing
            // socket) ends the loop: the node no longer answers, so say so loudly and let the
            // owner fail its callers (terminated()) instead of leaving a deaf process running.
            if (running) {
                failure = e;
                LOG.error("DHT I/O loop died; this node no longer answers", e);
            }
        } finally {
            running = false;
            if (failure == null) {
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    runSafely(task); // lets waiting callers fail fast instead of hanging
                }
            } else {
                tasks.clear(); // the core's state is unknown after a crash: run nothing more on it
            }
            stopped.countDown();
            if (failure != null) {
                terminated.completeExceptionally(failure);
            } else {
                terminated.complete(null);
            }
        }
    }

    /**
     * Completes when the I/O thread ends: normally after {@link #close()}, exceptionally with the
     * cause if the loop died (then tasks handed to {@link #execute} are never run).
     */
    public CompletableFuture<Void> terminated() {
        return terminated.copy();
    }

    /** Why the I/O loop died, or null while it runs or after a normal close. */
    public Throwable failure() {
        return failure;
    }

    private void receive() throws IOException {
        for (int i = 0; i < BATCH; i++) {
            receiveBuffer.clear();
            SocketAddress from = channel.receive(receiveBuffer);
            if (from == null) {
                return;
            }
            receiveBuffer.flip();
            int length = receiveBuffer.remaining();
            receiveBuffer.get(copyBuffer, 0, length);
            dev.scout.dht.DatagramFilter f = filter;
            if (f != null && f.claim(copyBuffer, length, (InetSocketAddress) from)) {
                continue;
            }
            core.handleDatagram(copyBuffer, length, (InetSocketAddress) from);
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("task on the DHT loop failed", e);
        }
    }

    /** Installs (or with {@code null} removes) the filter that may claim datagrams before KRPC decoding. */
    public void setDatagramFilter(dev.scout.dht.DatagramFilter filter) {
        this.filter = filter;
    }

    public long sendFailures() {
        return sendFailures;
    }

    /** The most recent datagram the operating system refused to send, if any; readable from any thread. */
    public java.util.Optional<SendFailure> lastSendFailure() {
        return java.util.Optional.ofNullable(lastSendFailure);
    }

    /** Stops the I/O thread (after it finishes the current step) and closes the socket. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        try {
            if (t != null && t != Thread.currentThread()) {
                stopped.await(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                selector.close();
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing socket", e);
            }
        }
    }
}
