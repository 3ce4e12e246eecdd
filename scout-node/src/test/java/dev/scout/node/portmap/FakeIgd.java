package dev.scout.node.portmap;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A UPnP IGD on loopback: answers SSDP searches, serves its description and takes SOAP calls. */
final class FakeIgd implements AutoCloseable {
    private final DatagramSocket ssdp;
    private final ServerSocket http;
    private final List<String> actions = new CopyOnWriteArrayList<>();

    FakeIgd() throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        ssdp = new DatagramSocket(new InetSocketAddress(lo, 0));
        http = new ServerSocket(0, 8, lo);
        Thread s = new Thread(this::answerSearches, "fake-igd-ssdp");
        Thread h = new Thread(this::serveHttp, "fake-igd-http");
        s.setDaemon(true);
        h.setDaemon(true);
        s.start();
        h.start();
    }

    int ssdpPort() {
        return ssdp.getLocalPort();
    }

    List<String> actions() {
        return actions;
    }

    private void answerSearches() {
        byte[] buf = new byte[2048];
        while (!ssdp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                ssdp.receive(p);
                byte[] reply = ("HTTP/1.1 200 OK\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nLOCATION: http://"
                        + "127.0.0.1:" + http.getLocalPort() + "/rootDesc.xml\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                ssdp.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serveHttp() {
        while (!http.isClosed()) {
            try (Socket c = http.accept()) {
                String request = readRequest(c.getInputStream());
                String body;
                if (request.startsWith("GET /rootDesc.xml")) {
                    body = "<root><device><serviceList><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1"
                            + "</serviceType><controlURL>/ctl/IPConn</controlURL></service></serviceList></device></root>";
                } else {
                    String action = request.replaceAll("(?s).*SOAPAction: \"[^#]*#([A-Za-z]+)\".*", "$1");
                    actions.add(action);
                    body = "<s:Envelope><s:Body><u:" + action + "Response><NewExternalIPAddress>" + FakeRouter.PUBLIC_IP
                            + "</NewExternalIPAddress></u:" + action + "Response></s:Body></s:Envelope>";
                }
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                c.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: " + b.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                c.getOutputStream().write(b);
            } catch (IOException e) {
                if (http.isClosed()) {
                    return;
                }
            }
        }
    }

    /** The head and, for a POST, its Content-Length body. */
    private static String readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Content-Length: (\\d+)").matcher(head);
        if (m.find()) {
            head.append(new String(in.readNBytes(Integer.parseInt(m.group(1))), StandardCharsets.UTF_8));
        }
        return head.toString();
    }

    @Override
    public void close() throws IOException {
        ssdp.close();
        http.close();
    }
}
