package dev.scout.node.portmap;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.concurrent.ThreadLocalRandom;

/**
 * UPnP IGD for one UDP port: SSDP finds the gateway's description (multicast and the gateway itself;
 * only a description on the gateway is taken), its WAN connection service gets AddPortMapping,
 * GetExternalIPAddress and DeletePortMapping. A router that takes permanent leases only (error 725)
 * gets one, which a clean stop deletes.
 */
final class UpnpClient implements MappingProtocol {
    private static final String DESCRIPTION = "scout DHT";
    private final InetAddress local;
    private final InetAddress gateway;
    private final int ssdpPort;
    private UpnpCodec.Service service;

    UpnpClient(InetAddress local, InetAddress gateway) {
        this(local, gateway, UpnpCodec.SSDP_PORT);
    }

    /** @param ssdpPort the gateway's SSDP port (tests run a fake router elsewhere than 1900) */
    UpnpClient(InetAddress local, InetAddress gateway, int ssdpPort) {
        this.local = local;
        this.gateway = gateway;
        this.ssdpPort = ssdpPort;
    }

    @Override
    public String name() {
        return "upnp";
    }

    @Override
    public Mapped map(int internalPort, int suggestedExternal, int lifetimeSeconds, long deadlineNanos) throws PortMapException {
        UpnpCodec.Service s = service(deadlineNanos);
        int external = suggestedExternal > 0 ? suggestedExternal : internalPort;
        long lease = lifetimeSeconds;
        for (int attempt = 0; ; attempt++) {
            try {
                call(s, "AddPortMapping", deadlineNanos, "NewRemoteHost", "", "NewExternalPort", Integer.toString(external),
                        "NewProtocol", "UDP", "NewInternalPort", Integer.toString(internalPort), "NewInternalClient",
                        local.getHostAddress(), "NewEnabled", "1", "NewPortMappingDescription", DESCRIPTION,
                        "NewLeaseDuration", Long.toString(lease));
                break;
            } catch (PortMapException e) {
                String code = UpnpCodec.errorCode(e);
                if (attempt >= 2 || !(code.equals("725") || code.equals("718"))) {
                    throw e;
                }
                if (code.equals("725")) {
                    lease = 0; // OnlyPermanentLeasesSupported
                } else {
                    external = 1024 + ThreadLocalRandom.current().nextInt(64_000); // ConflictInMappingEntry
                }
            }
        }
        String answer = call(s, "GetExternalIPAddress", deadlineNanos);
        String ip = UpnpCodec.tag(answer, "NewExternalIPAddress")
                .orElseThrow(() -> new PortMapException("UPnP: GetExternalIPAddress answered no NewExternalIPAddress"));
        InetAddress address;
        try {
            address = InetAddress.getByName(ip.matches("[0-9.]{7,15}") ? ip : "invalid..");
        } catch (IOException e) {
            throw new PortMapException("UPnP: GetExternalIPAddress answered a bad address: "
                    + ip.substring(0, Math.min(40, ip.length())));
        }
        if (address.isAnyLocalAddress()) {
            throw new PortMapException("UPnP: the gateway has no external address (0.0.0.0)");
        }
        return new Mapped(name(), new InetSocketAddress(address, external), lease, -1);
    }

    @Override
    public void unmap(int internalPort, Mapped mapping, long deadlineNanos) throws PortMapException {
        call(service(deadlineNanos), "DeletePortMapping", deadlineNanos, "NewRemoteHost", "", "NewExternalPort",
                Integer.toString(mapping.external().getPort()), "NewProtocol", "UDP");
    }

    private String call(UpnpCodec.Service s, String action, long deadlineNanos, String... args) throws PortMapException {
        SmallHttp.Answer a = SmallHttp.post(local, s.control(), s.type() + "#" + action, UpnpCodec.soap(s.type(), action, args),
                deadlineNanos);
        return UpnpCodec.answer(a.status(), a.body(), action);
    }

    private UpnpCodec.Service service(long deadlineNanos) throws PortMapException {
        if (service == null) {
            URI location = discover(deadlineNanos);
            SmallHttp.Answer d = SmallHttp.get(local, location, deadlineNanos);
            if (d.status() != 200) {
                throw new PortMapException("UPnP: the description at " + location + " answered HTTP " + d.status());
            }
            service = UpnpCodec.service(d.body(), location);
        }
        return service;
    }

    /** M-SEARCH to the SSDP group and to the gateway; the first reply that points at the gateway. */
    private URI discover(long deadlineNanos) throws PortMapException {
        byte[] search = UpnpCodec.search();
        PortMapException last = null;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(local, 0))) {
            if (ssdpPort == UpnpCodec.SSDP_PORT) {
                try {
                    s.send(new DatagramPacket(search, search.length, InetAddress.getByName(UpnpCodec.SSDP_GROUP), ssdpPort));
                } catch (IOException e) {
                    // no multicast route: the gateway itself is still asked
                }
            }
            s.send(new DatagramPacket(search, search.length, gateway, ssdpPort));
            byte[] buf = new byte[UpnpCodec.MAX_SSDP];
            while (true) {
                long left = SmallHttp.millisLeft(deadlineNanos);
                if (left <= 0) {
                    throw last != null ? last : new PortMapException("UPnP: no SSDP answer from " + gateway.getHostAddress());
                }
                s.setSoTimeout((int) left);
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                if (!p.getAddress().equals(gateway)) {
                    continue; // another device on the LAN: not our gateway
                }
                try {
                    return UpnpCodec.location(buf, p.getLength(), gateway);
                } catch (PortMapException e) {
                    last = e;
                }
            }
        } catch (IOException e) {
            throw new PortMapException("UPnP: SSDP: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
