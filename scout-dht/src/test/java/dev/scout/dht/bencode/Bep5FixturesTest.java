package dev.scout.dht.bencode;

import static dev.scout.dht.bencode.BencodeTestSupport.normalize;
import static dev.scout.dht.bencode.BencodeTestSupport.raw;
import static dev.scout.dht.bencode.BencodeTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example packets of BEP 5 (DHT Protocol), checked against bittorrent.org beps/bep_0005.rst.
 *
 * <p>Each fixture is decoded, compared field by field with the message BEP 5 shows as a dictionary, and
 * re-encoded to the identical bytes; the dictionary, built with {@link Bencode#dict}, also encodes to them.
 */
class Bep5FixturesTest {

    static final String PING_QUERY = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe";
    static final String PING_RESPONSE = "d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re";

    static final String FIND_NODE_QUERY =
            "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe";
    /**
     * BEP 5's "def456..." is a placeholder for compact node info, but as bencode it is consistent: it is exactly
     * the 9 bytes {@code d e f 4 5 6 . . .}, so the literal BEP text decodes as it stands.
     */
    static final String FIND_NODE_RESPONSE = "d1:rd2:id20:0123456789abcdefghij5:nodes9:def456...e1:t2:aa1:y1:re";

    static final String GET_PEERS_QUERY =
            "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe";
    static final String GET_PEERS_VALUES_RESPONSE =
            "d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re";
    static final String GET_PEERS_NODES_RESPONSE =
            "d1:rd2:id20:abcdefghij01234567895:nodes9:def456...5:token8:aoeusnthe1:t2:aa1:y1:re";

    /**
     * BEP 5's bencoded announce_peer example (which the BEP wraps over two lines with a stray {@code <br />});
     * it leaves out the {@code "implied_port": 1} that the BEP's dictionary form of the same query shows. See
     * {@link #ANNOUNCE_PEER_IMPLIED_PORT_QUERY} for that form.
     */
    static final String ANNOUNCE_PEER_QUERY = "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456"
            + "4:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe";
    static final String ANNOUNCE_PEER_IMPLIED_PORT_QUERY = "d1:ad2:id20:abcdefghij012345678912:implied_porti1e"
            + "9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe";
    static final String ANNOUNCE_PEER_RESPONSE = "d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re";

    static final String ERROR = "d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee";

    /** find_node response carrying one real 26-byte compact node: id, 127.0.0.1, port 6881 (0x1AE1). */
    static final String FIND_NODE_RESPONSE_COMPACT = "d1:rd2:id20:0123456789abcdefghij5:nodes26:"
            + "mnopqrstuvwxyz123456\u007f\u0000\u0000\u0001\u001a\u00e1e1:t2:aa1:y1:re";

    private static byte[] b(String s) {
        return raw(s);
    }

    static Stream<Arguments> fixtures() {
        return Stream.of(
                Arguments.of("ping query", PING_QUERY, Bencode.dict("t", b("aa"), "y", b("q"), "q", b("ping"),
                        "a", Bencode.dict("id", b("abcdefghij0123456789")))),
                Arguments.of("ping response", PING_RESPONSE, Bencode.dict("t", b("aa"), "y", b("r"),
                        "r", Bencode.dict("id", b("mnopqrstuvwxyz123456")))),
                Arguments.of("find_node query", FIND_NODE_QUERY, Bencode.dict("t", b("aa"), "y", b("q"),
                        "q", b("find_node"), "a", Bencode.dict("id", b("abcdefghij0123456789"),
                                "target", b("mnopqrstuvwxyz123456")))),
                Arguments.of("find_node response", FIND_NODE_RESPONSE, Bencode.dict("t", b("aa"), "y", b("r"),
                        "r", Bencode.dict("id", b("0123456789abcdefghij"), "nodes", b("def456...")))),
                Arguments.of("find_node response, compact node", FIND_NODE_RESPONSE_COMPACT,
                        Bencode.dict("t", b("aa"), "y", b("r"), "r", Bencode.dict("id", b("0123456789abcdefghij"),
                                "nodes", b("mnopqrstuvwxyz123456\u007f\u0000\u0000\u0001\u001a\u00e1")))),
                Arguments.of("get_peers query", GET_PEERS_QUERY, Bencode.dict("t", b("aa"), "y", b("q"),
                        "q", b("get_peers"), "a", Bencode.dict("id", b("abcdefghij0123456789"),
                                "info_hash", b("mnopqrstuvwxyz123456")))),
                Arguments.of("get_peers response with values", GET_PEERS_VALUES_RESPONSE,
                        Bencode.dict("t", b("aa"), "y", b("r"), "r", Bencode.dict("id", b("abcdefghij0123456789"),
                                "token", b("aoeusnth"), "values", List.of(b("axje.u"), b("idhtnm"))))),
                Arguments.of("get_peers response with nodes", GET_PEERS_NODES_RESPONSE,
                        Bencode.dict("t", b("aa"), "y", b("r"), "r", Bencode.dict("id", b("abcdefghij0123456789"),
                                "token", b("aoeusnth"), "nodes", b("def456...")))),
                Arguments.of("announce_peer query", ANNOUNCE_PEER_QUERY, Bencode.dict("t", b("aa"), "y", b("q"),
                        "q", b("announce_peer"), "a", Bencode.dict("id", b("abcdefghij0123456789"),
                                "info_hash", b("mnopqrstuvwxyz123456"), "port", 6881L, "token", b("aoeusnth")))),
                Arguments.of("announce_peer query with implied_port", ANNOUNCE_PEER_IMPLIED_PORT_QUERY,
                        Bencode.dict("t", b("aa"), "y", b("q"), "q", b("announce_peer"),
                                "a", Bencode.dict("id", b("abcdefghij0123456789"), "implied_port", 1L,
                                        "info_hash", b("mnopqrstuvwxyz123456"), "port", 6881L,
                                        "token", b("aoeusnth")))),
                Arguments.of("announce_peer response", ANNOUNCE_PEER_RESPONSE, Bencode.dict("t", b("aa"),
                        "y", b("r"), "r", Bencode.dict("id", b("mnopqrstuvwxyz123456")))),
                Arguments.of("error", ERROR, Bencode.dict("t", b("aa"), "y", b("e"),
                        "e", List.of(201L, b("A Generic Error Ocurred")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decodesToTheBepDictionary(String name, String wire, Map<String, Object> expected) throws BencodeException {
        Object decoded = Bencode.decode(raw(wire), BencodeLimits.KRPC);
        assertThat(normalize(decoded)).isEqualTo(normalize(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void reencodesByteIdentically(String name, String wire, Map<String, Object> expected) throws BencodeException {
        byte[] bytes = raw(wire);
        assertThat(Bencode.encode(Bencode.decode(bytes, BencodeLimits.KRPC))).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void bepDictionaryEncodesToFixture(String name, String wire, Map<String, Object> expected) {
        assertThat(text(Bencode.encode(expected))).isEqualTo(wire);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dict(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    private static String str(Object o) {
        assertThat(o).isInstanceOf(byte[].class);
        return text((byte[]) o);
    }

    @Test
    void pingFields() throws BencodeException {
        Map<String, Object> q = dict(Bencode.decode(raw(PING_QUERY), BencodeLimits.KRPC));
        assertThat(q).containsOnlyKeys("a", "q", "t", "y");
        assertThat(str(q.get("y"))).isEqualTo("q");
        assertThat(str(q.get("q"))).isEqualTo("ping");
        assertThat(str(q.get("t"))).isEqualTo("aa");
        assertThat((byte[]) dict(q.get("a")).get("id")).hasSize(20);

        Map<String, Object> r = dict(Bencode.decode(raw(PING_RESPONSE), BencodeLimits.KRPC));
        assertThat(str(r.get("y"))).isEqualTo("r");
        assertThat(str(dict(r.get("r")).get("id"))).isEqualTo("mnopqrstuvwxyz123456");
    }

    @Test
    void bepNodesPlaceholderIsNineBytesAndNotCompactNodeInfo() throws BencodeException {
        Map<String, Object> r = dict(dict(Bencode.decode(raw(FIND_NODE_RESPONSE), BencodeLimits.KRPC)).get("r"));
        byte[] nodes = (byte[]) r.get("nodes");
        assertThat(text(nodes)).isEqualTo("def456...");
        assertThat(nodes.length % 26).as("compact IPv4 node info is 26 bytes per node").isNotZero();
    }

    @Test
    void compactNodeFixtureCarriesOneNode() throws BencodeException {
        Map<String, Object> r = dict(dict(Bencode.decode(raw(FIND_NODE_RESPONSE_COMPACT), BencodeLimits.KRPC))
                .get("r"));
        byte[] nodes = (byte[]) r.get("nodes");
        assertThat(nodes).hasSize(26);
        assertThat(text(nodes).substring(0, 20)).isEqualTo("mnopqrstuvwxyz123456");
        assertThat(nodes[20] & 0xFF).isEqualTo(127);
        assertThat(((nodes[24] & 0xFF) << 8) | (nodes[25] & 0xFF)).isEqualTo(6881);
    }

    @Test
    void getPeersValuesAreAListOfStrings() throws BencodeException {
        Map<String, Object> r = dict(dict(Bencode.decode(raw(GET_PEERS_VALUES_RESPONSE), BencodeLimits.KRPC))
                .get("r"));
        assertThat(r).containsOnlyKeys("id", "token", "values");
        assertThat(str(r.get("token"))).isEqualTo("aoeusnth");
        assertThat(r.get("values")).isInstanceOf(List.class);
        List<?> values = (List<?>) r.get("values");
        assertThat(values).hasSize(2);
        assertThat(str(values.get(0))).isEqualTo("axje.u");
        assertThat(str(values.get(1))).isEqualTo("idhtnm");
    }

    @Test
    void announcePortIsAnInteger() throws BencodeException {
        Map<String, Object> a = dict(dict(Bencode.decode(raw(ANNOUNCE_PEER_QUERY), BencodeLimits.KRPC)).get("a"));
        assertThat(a.get("port")).isEqualTo(6881L);
        assertThat(a).doesNotContainKey("implied_port");
        Map<String, Object> implied =
                dict(dict(Bencode.decode(raw(ANNOUNCE_PEER_IMPLIED_PORT_QUERY), BencodeLimits.KRPC)).get("a"));
        assertThat(implied.get("implied_port")).isEqualTo(1L);
    }

    @Test
    void errorIsCodeAndMessage() throws BencodeException {
        Map<String, Object> e = dict(Bencode.decode(raw(ERROR), BencodeLimits.KRPC));
        assertThat(str(e.get("y"))).isEqualTo("e");
        List<?> err = (List<?>) e.get("e");
        assertThat(err).hasSize(2);
        assertThat(err.get(0)).isEqualTo(201L);
        assertThat(str(err.get(1))).isEqualTo("A Generic Error Ocurred").hasSize(23);
    }

    /**
     * A transcription that drops "789" from the id "abcdefghij0123456789" leaves a 17-byte id under a 20-byte
     * prefix; the id then swallows three bytes of the next key and the decoder must stop at the stray letter
     * that follows (offset 32), not accept a different message.
     */
    @Test
    void idShortenedToSeventeenBytesIsRejectedAtTheStrayByte() {
        for (String mangled : List.of(
                "d1:rd2:id20:abcdefghij01234565:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re",
                "d1:rd2:id20:abcdefghij01234565:nodes9:def456...5:token8:aoeusnthe1:t2:aa1:y1:re",
                "d1:ad2:id20:abcdefghij01234569:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe"
                        + "1:q13:announce_peer1:t2:aa1:y1:qe")) {
            BencodeException e = catchThrowableOfType(BencodeException.class,
                    () -> Bencode.decode(raw(mangled), BencodeLimits.KRPC));
            assertThat(e).as(mangled).isNotNull();
            assertThat(e.position()).as(mangled).isEqualTo(32);
            assertThat(mangled.charAt(32)).isIn('o', 'n');
            assertThat(e).hasMessageContaining("key must be a byte string");
        }
    }
}
