package dev.scout.session;

/**
 * No datagram of the handshake got through in either direction before the connect timeout: no
 * direct path exists (typically a symmetric NAT on one or both sides), or the peer is offline or
 * does not accept us. The message names the addresses tried and the NAT types known.
 */
public class NoDirectPathException extends SessionException {
    private static final long serialVersionUID = 1L;

    /** @param message one line: the addresses tried and the NAT types known */
    public NoDirectPathException(String message) {
        super(message);
    }
}
