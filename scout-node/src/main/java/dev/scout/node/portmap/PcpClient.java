package dev.scout.node.portmap;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;

/** PCP MAP (RFC 6887) for one UDP port; one nonce for the mapping's whole life, as renewals need. */
final class PcpClient implements MappingProtocol {
    private final InetAddress local;
    private final InetSocketAddress server;
    private final byte[] nonce = new byte[12];

    PcpClient(InetAddress local, InetSocketAddress server) {
        this.local = local;
        this.server = server;
        new SecureRandom().nextBytes(nonce);
    }

    @Override
    public String name() {
        return "pcp";
    }

    @Override
    public Mapped map(int internalPort, int suggestedExternal, int lifetimeSeconds, long deadlineNanos) throws PortMapException {
        PcpCodec.Reply r = call(internalPort, suggestedExternal, lifetimeSeconds, deadlineNanos);
        return new Mapped(name(), r.external(), r.lifetimeSeconds(), r.epoch());
    }

    @Override
    public void unmap(int internalPort, Mapped mapping, long deadlineNanos) throws PortMapException {
        call(internalPort, mapping.external().getPort(), 0, deadlineNanos);
    }

    private PcpCodec.Reply call(int internalPort, int suggested, int lifetime, long deadlineNanos) throws PortMapException {
        InetAddress any = PcpCodec.fromIp16(local instanceof Inet4Address ? PcpCodec.ip16(null) : new byte[16]);
        byte[] request = PcpCodec.map(local, nonce, internalPort, suggested, any, lifetime);
        return UdpExchange.call("PCP", local, server, request, PcpCodec.MAX_REPLY,
                (buf, len) -> PcpCodec.decode(buf, len, nonce, internalPort), deadlineNanos);
    }
}
