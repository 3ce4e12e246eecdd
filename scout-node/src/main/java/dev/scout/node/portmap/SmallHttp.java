package dev.scout.node.portmap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The little HTTP/1.1 UPnP IGD needs, on the LAN: one request per connection ({@code Connection:
 * close}), the answer read to its end under the deadline and at most {@link #MAX_BODY} bytes (more is
 * an error, never a bigger buffer); {@code Content-Length} and chunked bodies.
 */
final class SmallHttp {
    static final int MAX_BODY = 64 * 1024;

    private SmallHttp() {}

    record Answer(int status, String body) {
    }

    static Answer get(InetAddress local, URI uri, long deadlineNanos) throws PortMapException {
        return exchange(local, uri, "GET", null, null, deadlineNanos);
    }

    static Answer post(InetAddress local, URI uri, String soapAction, String body, long deadlineNanos) throws PortMapException {
        return exchange(local, uri, "POST", soapAction, body, deadlineNanos);
    }

    private static Answer exchange(InetAddress local, URI uri, String method, String soapAction, String body,
                                   long deadlineNanos) throws PortMapException {
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + port
                + "\r\nConnection: close\r\nUser-Agent: scout portmapper\r\n");
        if (body != null) {
            head.append("Content-Type: text/xml; charset=\"utf-8\"\r\nSOAPAction: \"").append(soapAction).append("\"\r\n")
                    .append("Content-Length: ").append(payload.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(local, 0));
            s.connect(new InetSocketAddress(uri.getHost(), port), (int) Math.max(1, millisLeft(deadlineNanos)));
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(payload);
            out.flush();
            byte[] raw = readAll(s, deadlineNanos);
            return parse(raw);
        } catch (IOException e) {
            throw new PortMapException("UPnP: HTTP " + method + " " + uri + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static byte[] readAll(Socket s, long deadlineNanos) throws IOException, PortMapException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (true) {
            long left = millisLeft(deadlineNanos);
            if (left <= 0) {
                throw new PortMapException("UPnP: the gateway's HTTP answer did not end in time");
            }
            s.setSoTimeout((int) left);
            int n;
            try {
                n = in.read(buf);
            } catch (java.net.SocketTimeoutException e) {
                throw new PortMapException("UPnP: the gateway's HTTP answer did not end in time");
            }
            if (n < 0) {
                return got.toByteArray();
            }
            if (got.size() + n > MAX_BODY + 8192) {
                throw new PortMapException("UPnP: the gateway's HTTP answer is over " + (MAX_BODY / 1024) + " KiB");
            }
            got.write(buf, 0, n);
        }
    }

    /** Status and body of a whole HTTP/1.x answer (tests feed it hostile ones). */
    static Answer parse(byte[] raw) throws PortMapException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || end < 0 || text.length() < 12) {
            throw new PortMapException("UPnP: not an HTTP answer");
        }
        int status;
        try {
            status = Integer.parseInt(text.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new PortMapException("UPnP: an HTTP answer without a status code");
        }
        String head = text.substring(0, end).toLowerCase(Locale.ROOT);
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if (head.contains("\ntransfer-encoding: chunked")) {
            body = unchunk(body);
        }
        if (body.length > MAX_BODY) {
            throw new PortMapException("UPnP: the gateway's HTTP answer is over " + (MAX_BODY / 1024) + " KiB");
        }
        return new Answer(status, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] unchunk(byte[] body) throws PortMapException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int eol = indexOf(body, at);
            if (eol < 0) {
                throw new PortMapException("UPnP: a truncated chunked answer");
            }
            String size = new String(body, at, eol - at, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int n;
            try {
                n = Integer.parseInt(size, 16);
            } catch (NumberFormatException e) {
                throw new PortMapException("UPnP: a bad chunk size in the answer");
            }
            if (n == 0) {
                return out.toByteArray();
            }
            at = eol + 2;
            if (n < 0 || n > body.length - at) {
                throw new PortMapException("UPnP: a truncated chunked answer");
            }
            out.write(body, at, n);
            at += n + 2;
        }
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    static long millisLeft(long deadlineNanos) {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }
}
