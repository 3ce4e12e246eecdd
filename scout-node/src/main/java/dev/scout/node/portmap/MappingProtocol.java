package dev.scout.node.portmap;

/** One way to ask a gateway for a mapping of a UDP port: PCP, NAT-PMP or UPnP IGD. */
interface MappingProtocol {
    /** {@code pcp}, {@code nat-pmp} or {@code upnp}. */
    String name();

    /**
     * Asks for (or renews) the mapping of {@code internalPort}, preferring {@code suggestedExternal}
     * (0: any), before {@code deadlineNanos} ({@link System#nanoTime}).
     */
    Mapped map(int internalPort, int suggestedExternal, int lifetimeSeconds, long deadlineNanos) throws PortMapException;

    /** Deletes the mapping it made, before {@code deadlineNanos}. */
    void unmap(int internalPort, Mapped mapping, long deadlineNanos) throws PortMapException;
}
