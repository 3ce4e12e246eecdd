package dev.scout.cli.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP/1.1 server on the loopback interface for the daemon's API. Unlike the JDK's
 * {@code HttpServer}, which hands a connection to a worker thread at its first byte and lets that
 * worker block on the rest of the head, one selector thread accepts connections and reads every
 * request head without blocking, under a deadline ({@value #HEAD_TIMEOUT_MILLIS} ms for the whole
 * head). A worker gets a connection only once its head is complete and its {@code Host} (and
 * {@code Origin}, if any) name this machine's loopback; the body then has its own read timeouts. So
 * slow or idle connections cost a buffer each, never a worker, and at most {@value #MAX_PENDING} are kept
 * (the oldest is dropped for a new one).
 */
public final class LoopbackHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackHttpServer.class);
    /** Time for a whole request head, from the connection's accept. */
    public static final long HEAD_TIMEOUT_MILLIS = 10_000;
    /** Time for each read of a request body (a streaming upload lifts it once its caller has the token). */
    public static final int BODY_READ_TIMEOUT_MILLIS = 10_000;
    /** Time for a whole request body, unless lifted. */
    public static final long BODY_TIMEOUT_MILLIS = 30_000;
    /** Connections whose head is still being read, at most. */
    static final int MAX_PENDING = 256;

    /** Answers one request; the exchange is closed (and its connection with it) when this returns. */
    @FunctionalInterface
    public interface Handler {
        void handle(SocketExchange exchange) throws IOException;
    }

    /** A connection whose head is still arriving. */
    private static final class Pending {
        final SocketChannel channel;
        final long deadlineNanos;
        byte[] buf = new byte[1024];
        int length;

        Pending(SocketChannel channel, long deadlineNanos) {
            this.channel = channel;
            this.deadlineNanos = deadlineNanos;
        }
    }

    private final ServerSocketChannel server;
    private final Selector selector;
    private final ExecutorService workers;
    private final Handler handler;
    private final int port;
    /** In accept order, which is deadline order: the sweep and the eviction take from the front. */
    private final LinkedHashMap<SocketChannel, Pending> pending = new LinkedHashMap<>();
    private volatile boolean closed;

    private LoopbackHttpServer(ServerSocketChannel server, Selector selector, ExecutorService workers, Handler handler) {
        this.server = server;
        this.selector = selector;
        this.workers = workers;
        this.handler = handler;
        this.port = ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort();
    }

    /** Listens on 127.0.0.1:{@code port} (0 = any free port) with {@code threads} workers. */
    public static LoopbackHttpServer start(int port, int threads, Handler handler) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        Selector selector = Selector.open();
        try {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            server.close();
            selector.close();
            throw e;
        }
        ThreadPoolExecutor workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "scout-api");
                    t.setDaemon(true);
                    return t;
                });
        workers.allowCoreThreadTimeOut(true);
        LoopbackHttpServer s = new LoopbackHttpServer(server, selector, workers, handler);
        Thread accept = new Thread(s::run, "scout-api-accept");
        accept.setDaemon(true);
        accept.start();
        return s;
    }

    /** The port listened on. */
    public int port() {
        return port;
    }

    private void run() {
        ByteBuffer scratch = ByteBuffer.allocate(4096);
        while (!closed) {
            try {
                if (selector.selectedKeys().isEmpty()) {
                    selector.select(millisToFirstDeadline());
                }
                List<Pending> complete = new ArrayList<>();
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        acceptAll();
                    } else if (key.isReadable() && read((Pending) key.attachment(), scratch)) {
                        key.cancel();
                        complete.add((Pending) key.attachment());
                    }
                }
                sweepExpired();
                if (!complete.isEmpty()) {
                    selector.selectNow(); // deregisters the cancelled keys, so their channels may block again
                    complete.forEach(this::dispatch);
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("API listener: {}", e.toString());
                }
            }
        }
        pending.keySet().forEach(LoopbackHttpServer::closeQuietly);
        pending.clear();
        try {
            selector.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private long millisToFirstDeadline() {
        if (pending.isEmpty()) {
            return 0; // no deadline: wait for a connection
        }
        long nanos = pending.values().iterator().next().deadlineNanos - System.nanoTime();
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos) + 1);
    }

    private void acceptAll() throws IOException {
        SocketChannel c;
        while ((c = server.accept()) != null) {
            if (pending.size() >= MAX_PENDING) {
                Pending oldest = pending.values().iterator().next();
                drop(oldest);
            }
            c.configureBlocking(false);
            Pending p = new Pending(c, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEAD_TIMEOUT_MILLIS));
            c.register(selector, SelectionKey.OP_READ, p);
            pending.put(c, p);
        }
    }

    /** Reads what has arrived; true once the head is complete (or too long, which the worker refuses). */
    private boolean read(Pending p, ByteBuffer scratch) {
        try {
            scratch.clear();
            int n = p.channel.read(scratch);
            if (n < 0) {
                drop(p);
                return false;
            }
            if (p.length + n > p.buf.length) {
                p.buf = Arrays.copyOf(p.buf, Math.max(p.length + n, Math.min(p.buf.length * 2, RequestHead.MAX_BYTES + 4096)));
            }
            scratch.flip();
            int from = Math.max(0, p.length - 3);
            scratch.get(p.buf, p.length, n);
            p.length += n;
            if (RequestHead.end(p.buf, from, p.length) > 0 || p.length > RequestHead.MAX_BYTES) {
                pending.remove(p.channel);
                return true;
            }
            return false;
        } catch (IOException e) {
            drop(p);
            return false;
        }
    }

    private void sweepExpired() {
        long now = System.nanoTime();
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.deadlineNanos - now > 0) {
                return; // the rest are younger
            }
            it.remove();
            // Best effort: the caller may be reading; a stalled one just sees the connection close.
            writeQuietly(p.channel, 408, "request_timeout", "the request head took longer than " + HEAD_TIMEOUT_MILLIS + " ms");
            closeQuietly(p.channel);
        }
    }

    private void drop(Pending p) {
        pending.remove(p.channel);
        closeQuietly(p.channel);
    }

    private void dispatch(Pending p) {
        try {
            p.channel.configureBlocking(true);
            workers.execute(() -> serve(p));
        } catch (IOException | RuntimeException e) {
            closeQuietly(p.channel); // shutting down
        }
    }

    private void serve(Pending p) {
        int end = RequestHead.end(p.buf, 0, p.length);
        Socket socket = p.channel.socket();
        if (end < 0) {
            writeQuietly(p.channel, 431, "head_too_large", "the request head is longer than " + RequestHead.MAX_BYTES + " bytes");
            closeQuietly(p.channel);
            return;
        }
        try {
            RequestHead head = RequestHead.parse(p.buf, end - 4);
            String refused = LoopbackOrigin.refuseHost(head.headers().getFirst("Host"));
            if (refused == null) {
                refused = LoopbackOrigin.refuseOrigin(head.headers().getFirst("Origin"), port);
            }
            if (refused != null) {
                writeQuietly(p.channel, 403, "forbidden", refused);
                return;
            }
            socket.setSoTimeout(BODY_READ_TIMEOUT_MILLIS);
            if ("100-continue".equalsIgnoreCase(head.headers().getFirst("Expect"))) {
                socket.getOutputStream().write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            InputStream in = new SequenceInputStream(new ByteArrayInputStream(p.buf, end, p.length - end), socket.getInputStream());
            BodyInput body = body(head, in);
            try (SocketExchange ex = new SocketExchange(socket, head, body)) {
                handler.handle(ex);
            }
        } catch (IllegalArgumentException e) {
            writeQuietly(p.channel, 400, "bad_request", e.getMessage());
        } catch (IOException e) {
            LOG.debug("API connection ended early: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("API request failed", e);
        } finally {
            closeQuietly(p.channel);
        }
    }

    private static BodyInput body(RequestHead head, InputStream in) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BODY_TIMEOUT_MILLIS);
        String te = head.headers().getFirst("Transfer-Encoding");
        if (te != null) {
            if (!"chunked".equalsIgnoreCase(te.strip())) {
                throw new IllegalArgumentException("unsupported Transfer-Encoding: only chunked");
            }
            return new BodyInput(in, true, 0, deadline);
        }
        String length = head.headers().getFirst("Content-Length");
        long n = 0;
        if (length != null) {
            try {
                n = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed Content-Length");
            }
            if (n < 0) {
                throw new IllegalArgumentException("malformed Content-Length");
            }
        }
        return new BodyInput(in, false, n, deadline);
    }

    /** A whole small JSON error response, written without waiting long for a caller that does not read. */
    /** An error answered before any handler ran: {@code {"error", "code"}} like every other (docs/api.md). */
    private static void writeQuietly(SocketChannel c, int status, String code, String message) {
        String json = "{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"code\":\"" + code + "\"}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + Reasons.of(status) + "\r\nContent-Type: application/json; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        ByteBuffer out = ByteBuffer.allocate(head.length() + body.length);
        out.put(head.getBytes(StandardCharsets.ISO_8859_1)).put(body).flip();
        try {
            c.write(out); // a few hundred bytes: fits the socket buffer, blocking or not
        } catch (IOException e) {
            // the caller went away
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** Stops accepting, drops connections still sending their heads and interrupts requests in progress. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        workers.shutdownNow(); // the accept thread closes the pending connections and the selector as it ends
    }
}
