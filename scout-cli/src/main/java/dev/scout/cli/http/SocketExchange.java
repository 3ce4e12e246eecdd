package dev.scout.cli.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One request on one connection of the {@link LoopbackHttpServer}, under the JDK's {@link HttpExchange}
 * API so the handlers need not know which server runs them. One request per connection
 * ({@code Connection: close}): the API's callers make one or two calls each, and it keeps the
 * connection's life simple.
 */
public final class SocketExchange extends HttpExchange {
    /**
     * A request body refused unread (a 413) may still be on its way when the answer is out: at most this
     * much of it is read and dropped before the connection closes, so closing does not reset the
     * connection under a caller still writing, before it could read the answer (Apache's lingering close).
     */
    static final int LINGER_BYTES = 1 << 20;
    /** ... and for at most this long. */
    static final int LINGER_MILLIS = 1_000;
    private final Socket socket;
    private final RequestHead head;
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private final OutputStream raw;
    private InputStream requestBody;
    private OutputStream responseBody;
    private int status = -1;

    SocketExchange(Socket socket, RequestHead head, InputStream requestBody) throws IOException {
        this.socket = socket;
        this.head = head;
        this.requestBody = requestBody;
        this.raw = new BufferedOutputStream(socket.getOutputStream(), 8192);
    }

    /**
     * Lets the request body take as long as it needs: for a streaming upload, called once the caller
     * has shown the token (until then the header and body timeouts hold).
     */
    public void liftBodyTimeout() throws IOException {
        socket.setSoTimeout(0);
        if (requestBody instanceof BodyInput b) {
            b.unlimited();
        }
    }

    @Override
    public Headers getRequestHeaders() {
        return head.headers();
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return head.uri();
    }

    @Override
    public String getRequestMethod() {
        return head.method();
    }

    @Override
    public HttpContext getHttpContext() {
        return null; // no contexts: one handler serves every path
    }

    @Override
    public void close() {
        try {
            if (responseBody != null) {
                responseBody.close();
            }
            raw.flush();
            drainUnreadBody();
        } catch (IOException e) {
            // the caller went away; nothing more to tell it
        } finally {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    /** See {@link #LINGER_BYTES}: our side's FIN first, then what the caller still sends is dropped. */
    private void drainUnreadBody() {
        if (!(requestBody instanceof BodyInput b) || b.ended()) {
            return;
        }
        try {
            socket.shutdownOutput(); // the answer is complete: the caller can read it while we drain
            socket.setSoTimeout(LINGER_MILLIS);
            long until = System.nanoTime() + LINGER_MILLIS * 1_000_000L;
            byte[] buf = new byte[8192];
            long left = LINGER_BYTES;
            int n;
            while (left > 0 && System.nanoTime() < until && (n = b.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException e) {
            // gone, too slow or malformed: closed as it is
        }
    }

    @Override
    public InputStream getRequestBody() {
        return requestBody;
    }

    @Override
    public OutputStream getResponseBody() {
        if (responseBody == null) {
            throw new IllegalStateException("sendResponseHeaders has not been called");
        }
        return responseBody;
    }

    /** As the JDK's: {@code length} > 0 a fixed length, 0 chunked (any length), -1 no body. */
    @Override
    public void sendResponseHeaders(int rCode, long length) throws IOException {
        if (status >= 0) {
            throw new IOException("headers already sent");
        }
        status = rCode;
        StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(rCode).append(' ').append(Reasons.of(rCode)).append("\r\n");
        responseHeaders.remove("Content-Length");
        responseHeaders.remove("Transfer-Encoding");
        if (length == 0) {
            responseHeaders.set("Transfer-Encoding", "chunked");
        } else {
            responseHeaders.set("Content-Length", Long.toString(Math.max(length, 0)));
        }
        responseHeaders.set("Connection", "close");
        for (Map.Entry<String, List<String>> e : responseHeaders.entrySet()) {
            for (String v : e.getValue()) {
                sb.append(e.getKey()).append(": ").append(v).append("\r\n");
            }
        }
        sb.append("\r\n");
        raw.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        OutputStream unclosable = new FilterOutputStream(raw) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush(); // the socket closes with the exchange
            }
        };
        responseBody = length == 0 ? new ChunkedOutput(unclosable) : unclosable;
        if (length == 0) {
            raw.flush(); // a stream's caller sees the status at once
        }
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return (InetSocketAddress) socket.getRemoteSocketAddress();
    }

    @Override
    public int getResponseCode() {
        return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public String getProtocol() {
        return head.protocol();
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        if (i != null) {
            requestBody = i;
        }
        if (o != null) {
            responseBody = o;
        }
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }
}
