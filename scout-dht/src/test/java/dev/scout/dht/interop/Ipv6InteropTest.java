package dev.scout.dht.interop;

/**
 * The whole interop suite ({@link InteropTest}) again with every node, Scout's and libtorrent's, on
 * {@code ::1}: BEP 5 and BEP 44 in both directions over IPv6 (libtorrent answers with {@code nodes6}).
 * The inherited {@code @BeforeAll} builds the network on ::1 for this class.
 */
class Ipv6InteropTest extends InteropTest {
}
