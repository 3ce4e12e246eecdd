package dev.scout.node.portmap;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** NAT-PMP (RFC 6886) for one UDP port: the gateway's public address, then the mapping. */
record NatPmpClient(InetAddress local, InetSocketAddress server) implements MappingProtocol {
    @Override
    public String name() {
        return "nat-pmp";
    }

    @Override
    public Mapped map(int internalPort, int suggestedExternal, int lifetimeSeconds, long deadlineNanos) throws PortMapException {
        NatPmpCodec.Address a = UdpExchange.call("NAT-PMP", local, server, NatPmpCodec.addressRequest(), NatPmpCodec.MAX_REPLY,
                NatPmpCodec::decodeAddress, deadlineNanos);
        NatPmpCodec.Mapping m = UdpExchange.call("NAT-PMP", local, server,
                NatPmpCodec.mapRequest(internalPort, suggestedExternal, lifetimeSeconds), NatPmpCodec.MAX_REPLY,
                (buf, len) -> NatPmpCodec.decodeMapping(buf, len, internalPort), deadlineNanos);
        return new Mapped(name(), new InetSocketAddress(a.external(), m.externalPort()), m.lifetimeSeconds(), m.epoch());
    }

    @Override
    public void unmap(int internalPort, Mapped mapping, long deadlineNanos) throws PortMapException {
        UdpExchange.call("NAT-PMP", local, server, NatPmpCodec.mapRequest(internalPort, 0, 0), NatPmpCodec.MAX_REPLY,
                (buf, len) -> NatPmpCodec.decodeMapping(buf, len, internalPort), deadlineNanos);
    }
}
