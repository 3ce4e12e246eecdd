package dev.scout.node.portmap;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * UPnP IGD's texts: the SSDP search and its reply's LOCATION, the device description's WAN connection
 * service (its type and control URL), SOAP calls and their answers. Inputs are bounded by the callers
 * (an SSDP datagram, a 64 KiB description or answer); nothing here parses XML with a general parser,
 * so no entity or DTD in a router's answer is ever expanded: we only look for a few known tags.
 */
final class UpnpCodec {
    static final int SSDP_PORT = 1900;
    static final String SSDP_GROUP = "239.255.255.250";
    static final int MAX_SSDP = 2048;
    /** The services that map ports, best first. */
    static final List<String> SERVICES = List.of("urn:schemas-upnp-org:service:WANIPConnection:2",
            "urn:schemas-upnp-org:service:WANIPConnection:1", "urn:schemas-upnp-org:service:WANPPPConnection:1");

    private UpnpCodec() {}

    /** The service to call and where. */
    record Service(String type, URI control) {
    }

    static byte[] search() {
        return ("M-SEARCH * HTTP/1.1\r\nHOST: " + SSDP_GROUP + ":" + SSDP_PORT + "\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n"
                + "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The description URL from an SSDP reply, accepted only on the gateway itself (a device elsewhere on
     * the LAN must not make us fetch or post anywhere else).
     */
    static URI location(byte[] buf, int len, InetAddress gateway) throws PortMapException {
        String text = new String(buf, 0, Math.min(len, MAX_SSDP), StandardCharsets.ISO_8859_1);
        if (!text.startsWith("HTTP/1.1 200")) {
            throw new PortMapException("UPnP: an SSDP reply that is not \"HTTP/1.1 200\"");
        }
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("location")) {
                URI uri = uri(line.substring(colon + 1).trim());
                if (!gateway.getHostAddress().equals(uri.getHost())) {
                    throw new PortMapException("UPnP: the description is at " + uri.getHost() + ", not on the gateway");
                }
                return uri;
            }
        }
        throw new PortMapException("UPnP: an SSDP reply without LOCATION");
    }

    /** The best WAN connection service in a device description, its control URL resolved against {@code base}. */
    static Service service(String description, URI base) throws PortMapException {
        for (String type : SERVICES) {
            int at = description.indexOf("<serviceType>" + type + "</serviceType>");
            if (at < 0) {
                continue;
            }
            int end = description.indexOf("</service>", at);
            String block = description.substring(at, end < 0 ? description.length() : end);
            Optional<String> control = tag(block, "controlURL");
            if (control.isEmpty()) {
                throw new PortMapException("UPnP: the " + type + " service has no controlURL");
            }
            URI uri = base.resolve(uri(control.get()));
            if (!base.getHost().equals(uri.getHost()) || !"http".equals(uri.getScheme())) {
                throw new PortMapException("UPnP: the control URL " + uri + " is not on the gateway");
            }
            return new Service(type, uri);
        }
        throw new PortMapException("UPnP: the gateway's description has no WANIPConnection or WANPPPConnection service");
    }

    /** A SOAP request body for {@code action} with its arguments (name, value, ...). */
    static String soap(String serviceType, String action, String... args) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                + "s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body><u:" + action + " xmlns:u=\"" + serviceType + "\">");
        for (int i = 0; i + 1 < args.length; i += 2) {
            b.append('<').append(args[i]).append('>').append(args[i + 1]).append("</").append(args[i]).append('>');
        }
        return b.append("</u:").append(action).append("></s:Body></s:Envelope>\r\n").toString();
    }

    /** Checks a SOAP answer: 200, or the UPnP error code and description as a {@link PortMapException}. */
    static String answer(int status, String body, String action) throws PortMapException {
        if (status == 200) {
            return body;
        }
        String code = tag(body, "errorCode").orElse("?");
        String why = tag(body, "errorDescription").orElse("no description");
        throw new PortMapException("UPnP: " + action + " failed: HTTP " + status + ", UPnP error " + code + " (" + why + ")");
    }

    static String errorCode(PortMapException e) {
        String m = e.getMessage();
        int at = m.indexOf("UPnP error ");
        return at < 0 ? "" : m.substring(at + 11).split(" ")[0];
    }

    /** The text of the first {@code <name>} or {@code <prefix:name>} element, trimmed and unescaped. */
    static Optional<String> tag(String xml, String name) {
        int from = 0;
        while (true) {
            int at = xml.indexOf(name + ">", from);
            if (at < 1) {
                return Optional.empty();
            }
            int open = xml.lastIndexOf('<', at);
            from = at + name.length() + 1;
            if (open < 0 || xml.charAt(open + 1) == '/' || !xml.substring(open + 1, at).matches("([A-Za-z0-9_.-]+:)?")) {
                continue;
            }
            int close = xml.indexOf("</", from);
            if (close < 0) {
                return Optional.empty();
            }
            return Optional.of(unescape(xml.substring(from, close).trim()));
        }
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }

    private static URI uri(String s) throws PortMapException {
        try {
            URI u = URI.create(s);
            if (u.isAbsolute() && !"http".equals(u.getScheme().toLowerCase(Locale.ROOT))) {
                throw new PortMapException("UPnP: not an http URL: " + s);
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new PortMapException("UPnP: not a URL: " + s.substring(0, Math.min(80, s.length())));
        }
    }
}
