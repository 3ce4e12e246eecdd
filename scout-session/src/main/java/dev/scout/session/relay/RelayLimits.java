package dev.scout.session.relay;

import java.time.Duration;

/**
 * Everything that bounds a relay ({@link RelayLink#serve}), in one place: how many clients may be
 * registered, how many relayed conversations it keeps, and how many bytes per second it forwards for
 * one client and in total (datagrams beyond a budget are dropped, as the network would). The relay's
 * answers to registrations count too: REGISTERED against the client's and the total budget;
 * challenges to unproven addresses and refusals against a control budget of
 * {@code bytesPerSecondTotal / 64}.
 *
 * @param maxClients            registrations held at once (a new one beyond it is dropped)
 * @param maxClientsPerIp       registrations held at once from one IP address (so one host cannot take every slot)
 * @param maxChannelsPerClient  conversations (connecting addresses) per registered client
 * @param maxChannels           conversations in total
 * @param bytesPerSecondPerClient forwarded bytes per second for one registered client, both directions
 * @param bytesPerSecondTotal   forwarded bytes per second for all clients together
 * @param registrationLifetime  a registration not refreshed within this expires (clients refresh every 10 s)
 * @param channelIdle           a conversation without a datagram for this long is forgotten
 */
public record RelayLimits(int maxClients, int maxClientsPerIp, int maxChannelsPerClient, int maxChannels, long bytesPerSecondPerClient,
        long bytesPerSecondTotal, Duration registrationLifetime, Duration channelIdle) {

    /**
     * Checks that every bound is positive.
     *
     * @param maxClients            registrations held at once
     * @param maxClientsPerIp       registrations held at once from one IP address
     * @param maxChannelsPerClient  conversations per registered client
     * @param maxChannels           conversations in total
     * @param bytesPerSecondPerClient forwarded bytes per second for one client
     * @param bytesPerSecondTotal   forwarded bytes per second in total
     * @param registrationLifetime  how long a registration lives without a refresh
     * @param channelIdle           how long a silent conversation is kept
     * @throws IllegalArgumentException if a bound is not positive
     */
    public RelayLimits {
        if (maxClients < 1 || maxClientsPerIp < 1 || maxChannelsPerClient < 1 || maxChannels < 1 || bytesPerSecondPerClient < 1
                || bytesPerSecondTotal < 1 || registrationLifetime.isNegative() || registrationLifetime.isZero()
                || channelIdle.isNegative() || channelIdle.isZero()) {
            throw new IllegalArgumentException("relay limits must be positive: " + this);
        }
    }

    /**
     * {@return 64 clients (8 from one IP address: the devices of one home share it), 16 conversations each and 1,024 in all, 4 MiB/s per client and 16 MiB/s in
     * total, registrations living 30 s, conversations forgotten after 60 s of silence}
     */
    public static RelayLimits defaults() {
        return new RelayLimits(64, 8, 16, 1_024, 4L << 20, 16L << 20, Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    /**
     * {@return what a daemon donates when it relays by default (publicly reachable, no {@code --relay}): 32
     * clients (4 from one IP address), 8 conversations each and 256 in all, 512 KiB/s per client and
     * 1 MiB/s in total, registrations living 30 s, conversations forgotten after 60 s of silence}
     */
    public static RelayLimits modest() {
        return new RelayLimits(32, 4, 8, 256, 512L << 10, 1L << 20, Duration.ofSeconds(30), Duration.ofSeconds(60));
    }
}
