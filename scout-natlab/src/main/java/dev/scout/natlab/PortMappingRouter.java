package dev.scout.natlab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A home router of a {@link NatLab} that also maps ports: Debian's {@code miniupnpd-nftables} (UPnP IGD,
 * NAT-PMP and PCP on port 5351) on the router's LAN side, as real home routers run it.
 *
 * <p>What miniupnpd needs in a namespace (issue 21):
 * <ul>
 * <li>A WAN address outside every reserved range (it refuses 100.64/10, RFC 1918, the TEST-NETs: "Port
 * forwarding is impossible"), so this router's WAN is {@link #WAN_NET}{@code .(10+K)}/24 instead of the
 * lab Internet's 100.64.0.(10+K): an ordinary unicast net (not one of the unallocated class-A nets
 * libtorrent's {@code dht_ignore_dark_internet} drops, such as 11/8) that exists only inside the lab.
 * The hub is one Ethernet segment, so every other namespace on it gets an on-link route to that /24
 * and this router one to the lab Internet's.</li>
 * <li>Its nftables chains, created first and named in its configuration: table {@code inet miniupnpd}
 * with the {@code miniupnpd} forward chain and the {@code prerouting_miniupnpd} /
 * {@code postrouting_miniupnpd} nat chains, jumped to from base chains with policy accept.</li>
 * <li>Forwarding of mapped traffic: {@code iptables -A FORWARD -m conntrack --ctstate DNAT -j ACCEPT}
 * (needed once the FORWARD policy is DROP; the lab's is ACCEPT, the rule keeps it explicit).</li>
 * </ul>
 * The router keeps its {@code MASQUERADE} (with {@code --random-fully} for a symmetric home): outgoing
 * packets from a mapped port still get random ports, as some real routers do.
 */
public final class PortMappingRouter {
    /** The /24 the port-mapping routers' WAN addresses are in (lab-only; see the class comment). */
    public static final String WAN_NET = "44.64.0";
    private static final String TABLE = "miniupnpd";

    private final NatLab lab;
    private final int home;
    private Proc daemon;

    PortMappingRouter(NatLab lab, int home) {
        this.lab = lab;
        this.home = home;
    }

    /** Fails with the reason if miniupnpd or nft is missing; never skips. */
    public static void requireCapabilities() {
        for (String tool : List.of("/usr/sbin/miniupnpd", "/usr/sbin/nft")) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new AssertionError("the NAT lab's port-mapping router needs " + tool
                        + " (./run-tests installs Debian's miniupnpd-nftables with apt-get)");
            }
        }
    }

    /** This router's WAN address: what the homes behind it look like from the lab Internet. */
    public String wanAddress() {
        return WAN_NET + "." + (10 + home);
    }

    /** Re-addresses the WAN, routes the two nets on the hub, creates the chains and starts miniupnpd. */
    void start(List<String> hubNamespaces, List<String> hubDevices) {
        String r = "r" + home;
        NatLab.run("ip", "-n", lab.ns(r), "addr", "flush", "dev", "wan");
        NatLab.run("ip", "-n", lab.ns(r), "addr", "add", wanAddress() + "/24", "dev", "wan");
        NatLab.run("ip", "-n", lab.ns(r), "route", "add", NatLab.INTERNET + ".0/24", "dev", "wan");
        for (int i = 0; i < hubNamespaces.size(); i++) {
            if (!hubNamespaces.get(i).equals(r)) {
                NatLab.run("ip", "-n", lab.ns(hubNamespaces.get(i)), "route", "add", WAN_NET + ".0/24", "dev", hubDevices.get(i));
            }
        }
        Path rules = write("nft", """
                table inet %1$s {
                  chain forward { type filter hook forward priority 0; policy accept; jump miniupnpd; }
                  chain miniupnpd { }
                  chain prerouting { type nat hook prerouting priority -100; policy accept; jump prerouting_miniupnpd; }
                  chain postrouting { type nat hook postrouting priority 100; policy accept; jump postrouting_miniupnpd; }
                  chain prerouting_miniupnpd { }
                  chain postrouting_miniupnpd { }
                }
                """.formatted(TABLE));
        NatLab.run("ip", "netns", "exec", lab.ns(r), "nft", "-f", rules.toString());
        NatLab.run("ip", "netns", "exec", lab.ns(r), "iptables", "-A", "FORWARD", "-m", "conntrack", "--ctstate", "DNAT",
                "-j", "ACCEPT");
        Path config = write("conf", """
                ext_ifname=wan
                listening_ip=lan
                http_port=0
                enable_natpmp=yes
                enable_upnp=yes
                secure_mode=yes
                min_lifetime=120
                max_lifetime=86400
                upnp_table_name=%1$s
                upnp_nat_table_name=%1$s
                upnp_forward_chain=miniupnpd
                upnp_nat_chain=prerouting_miniupnpd
                upnp_nat_postrouting_chain=postrouting_miniupnpd
                uuid=3d3cec3a-8cf0-11e0-98ee-00000000000%2$d
                allow 1024-65535 10.251.%2$d.0/24 1024-65535
                deny 0-65535 0.0.0.0/0 0-65535
                """.formatted(TABLE, home));
        Path pid = write("pid", "");
        daemon = lab.start("miniupnpd-" + r, new ProcessBuilder(lab.in(r, List.of("/usr/sbin/miniupnpd", "-f",
                config.toString(), "-d", "-P", pid.toString()))).redirectErrorStream(true));
        daemon.await("Listening for NAT-PMP/PCP traffic", 30);
    }

    /** The UDP port mappings miniupnpd holds now (its DNAT rules, one line each). */
    public List<String> mappings() {
        String chain = NatLab.capture("ip", "netns", "exec", lab.ns("r" + home), "nft", "list", "chain", "inet", TABLE,
                "prerouting_miniupnpd");
        if (!chain.contains("prerouting_miniupnpd")) {
            throw new AssertionError("cannot list miniupnpd's chain: " + chain);
        }
        return chain.lines().filter(l -> l.contains("dnat")).map(String::trim).toList();
    }

    /** What miniupnpd logged (its -d output). */
    public List<String> log() {
        return daemon == null ? List.of() : daemon.transcript();
    }

    private static Path write(String suffix, String text) {
        try {
            Path f = Files.createTempFile("natlab-miniupnpd-", "." + suffix);
            Files.writeString(f, text, StandardCharsets.US_ASCII);
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new AssertionError("NAT lab: cannot write miniupnpd's " + suffix + ": " + e.getMessage(), e);
        }
    }
}
