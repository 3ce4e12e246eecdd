package dev.scout.cli.http;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Which {@code Host} and {@code Origin} headers the loopback API accepts. A page on any web site can make
 * a browser send requests to 127.0.0.1, and with DNS rebinding its own name can resolve there; its
 * requests then carry that name in {@code Host} and the site in {@code Origin}. The token already
 * stops them; refusing those headers is defence in depth.
 */
final class LoopbackOrigin {
    private static final Set<String> NAMES = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    private LoopbackOrigin() {
    }

    /** Why a request's {@code Host} is refused, or null if it names the loopback interface. */
    static String refuseHost(String host) {
        if (host == null || host.isBlank()) {
            return "the request has no Host header";
        }
        String name = hostName(host.strip());
        return name != null && NAMES.contains(name.toLowerCase(Locale.ROOT)) ? null
                : "Host " + printable(host) + " is not this machine's loopback address (only 127.0.0.1, localhost and [::1])";
    }

    /** Why a request's {@code Origin} is refused, or null if it is absent or a page served from this API's own address. */
    static String refuseOrigin(String origin, int port) {
        if (origin == null) {
            return null; // not a browser, or a same-origin GET
        }
        try {
            URI uri = new URI(origin.strip());
            if ("http".equals(uri.getScheme()) && uri.getHost() != null
                    && NAMES.contains(uri.getHost().toLowerCase(Locale.ROOT)) && uri.getPort() == port) {
                return null;
            }
        } catch (java.net.URISyntaxException e) {
            // refused below
        }
        return "Origin " + printable(origin) + " may not call this API (browsers on other sites are refused)";
    }

    /** The host part of a Host header ({@code name}, {@code name:port}, {@code [v6]:port}), or null if malformed. */
    private static String hostName(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close < 0 ? null : host.substring(0, close + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return "'" + cut.replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }
}
