package dev.scout.dht.item;

import dev.scout.dht.MutableItem;
import dev.scout.dht.ImmutableItem;
import dev.scout.dht.ItemException;
import dev.scout.dht.Ed25519KeyPair;

import dev.scout.dht.DhtConfig;
import dev.scout.dht.NodeId;
import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.krpc.KrpcCodec;
import dev.scout.dht.krpc.KrpcError;
import dev.scout.dht.krpc.KrpcMessage;
import dev.scout.dht.krpc.KrpcQuery;
import dev.scout.dht.krpc.KrpcResponse;
import dev.scout.dht.krpc.Query;
import dev.scout.dht.krpc.Want;
import dev.scout.dht.node.NodeCore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** BEP 44: the test vectors from the BEP text, signing buffers, and the server's error codes. */
class Bep44Test {
    static final HexFormat HEX = HexFormat.of();
    static final byte[] VECTOR_PK = HEX.parseHex("77ff84905a91936367c01360803104f92432fcd904a43511876df5cdf3e7e548");
    static final byte[] VALUE = "12:Hello World!".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SALT = "foobar".getBytes(StandardCharsets.US_ASCII);

    // ---- vectors -------------------------------------------------------------------------------

    @Test
    void test1MutableSignatureVerifiesAndTargetMatches() {
        byte[] sig = HEX.parseHex("305ac8aeb6c9c151fa120f120ea2cfb923564e11552d06a5d856091e5e853cff"
                + "1260d3f39e4999684aa92eb73ffd136e6f4f3ecbfda0ce53a1608ecd7ae21f01");
        MutableItem item = new MutableItem(VECTOR_PK, new byte[0], 1, VALUE, sig);
        assertThat(new String(MutableItem.signingBuffer(new byte[0], 1, VALUE), StandardCharsets.US_ASCII))
                .isEqualTo("3:seqi1e1:v12:Hello World!");
        assertThat(item.verify()).isTrue();
        assertThat(item.target().toHex()).isEqualTo("4a533d47ec9c7d95b1ad75f576cffc641853b750");
    }

    /**
     * The signature printed in the BEP 44 text for test 2 ends in {@code ...f18f756b5ce1bdc02} and does not
     * verify; libtorrent's own test suite (test_dht.cpp, signing_test2) carries the correct one ending in
     * {@code ...f18f14951a87d9a08}, which is what a real libtorrent node produces (see docs/protocol-notes.md).
     */
    @Test
    void bepTextSignatureForTest2IsAKnownErratum() {
        byte[] printed = HEX.parseHex("6834284b6b24c3204eb2fea824d82f88883a3d95e8b4a21b8c0ded553d17d17d"
                + "df9a8a7104b1258f30bed3787e6cb896fca78c58f8e03b5f18f756b5ce1bdc02");
        assertThat(new MutableItem(VECTOR_PK, SALT, 1, VALUE, printed).verify()).isFalse();
    }

    @Test
    void test2MutableWithSaltSignatureVerifiesAndTargetMatches() {
        byte[] sig = HEX.parseHex("6834284b6b24c3204eb2fea824d82f88883a3d95e8b4a21b8c0ded553d17d17d"
                + "df9a8a7104b1258f30bed3787e6cb896fca78c58f8e03b5f18f14951a87d9a08");
        MutableItem item = new MutableItem(VECTOR_PK, SALT, 1, VALUE, sig);
        assertThat(new String(MutableItem.signingBuffer(SALT, 1, VALUE), StandardCharsets.US_ASCII))
                .isEqualTo("4:salt6:foobar3:seqi1e1:v12:Hello World!");
        assertThat(item.verify()).isTrue();
        assertThat(item.target().toHex()).isEqualTo("411eba73b6f087ca51a3795d9c8c938d365e32c1");
        // The same signature does not cover another salt or seq.
        assertThat(new MutableItem(VECTOR_PK, new byte[0], 1, VALUE, sig).verify()).isFalse();
        assertThat(new MutableItem(VECTOR_PK, SALT, 2, VALUE, sig).verify()).isFalse();
    }

    @Test
    void test3ImmutableTargetMatches() {
        assertThat(new ImmutableItem(VALUE).target().toHex()).isEqualTo("e5f96f6f38320f0f33959cb4d3d656452117aadb");
        assertThat(ImmutableItem.ofText("Hello World!").target().toHex()).isEqualTo("e5f96f6f38320f0f33959cb4d3d656452117aadb");
    }

    @Test
    void scoutRecordSignatureFromSpecSection7() {
        Ed25519KeyPair record = Ed25519KeyPair.ofSeed(HEX.parseHex("b3afd8693cb6936c4cc827652ca0810b7d3798e20a76f20ea16f04dbe1417ec4"));
        assertThat(record.publicKey().toHex()).isEqualTo("024c17c445cbb21a9679fe4d42ef855062182648b5cb0d79f823797a2687912f");
        byte[] v = HEX.parseHex("000102030405060708090a0b0c0d0e0f10111213141516176e9f6a52d6c85b218b88be68e885c7"
                + "1c923e57c2d745de287a3bd15e69cb4924f9581754eb2203762b49ae67a6842bf8ae7b0d4c8eb9e4");
        MutableItem item = MutableItem.sign(record, new byte[0], 1, Bencode.encode(v));
        assertThat(HEX.formatHex(item.signature())).isEqualTo("93ee340397bff379f4a11330f6673fad9c1cceb904ef2b4456b729325fd2ff0f"
                + "304162a36cf3cc493f64ba560317cb5fa55dde13b1cf267a7a4bfd7e1d4c9305");
        assertThat(item.target().toHex()).isEqualTo("8187911bd9fd8cd6add811c1669370f8fd773788");
    }

    @Test
    void limitsAreEnforcedBeforeSending() {
        Ed25519KeyPair signer = Ed25519KeyPair.ofSeed(new byte[32]);
        byte[] big = Bencode.encode(new byte[998]); // "998:" + 998 bytes = 1002
        assertThatThrownBy(() -> new ImmutableItem(big)).isInstanceOf(ItemException.class).hasMessageContaining("1000");
        assertThatThrownBy(() -> MutableItem.sign(signer, new byte[65], 1, VALUE))
                .isInstanceOf(ItemException.class).hasMessageContaining("64");
        assertThat(MutableItem.sign(signer, new byte[64], 1, Bencode.encode(new byte[995])).verify()).isTrue();
    }

    // ---- server side ---------------------------------------------------------------------------

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final List<byte[]> sent = new ArrayList<>();
    private NodeCore node;
    private final InetSocketAddress client = new InetSocketAddress("127.0.0.1", 40000);
    private final NodeId clientId = NodeId.random(new Random(3));
    private int tid;

    @BeforeEach
    void startNode() {
        node = new NodeCore(NodeId.random(new Random(1)), DhtConfig.builder().build(), clock::get, new Random(2),
                (data, to) -> sent.add(data));
    }

    private KrpcMessage call(Query q) throws Exception {
        sent.clear();
        byte[] t = {(byte) 0, (byte) ++tid};
        byte[] datagram = KrpcCodec.encode(new KrpcQuery(t, clientId, q, false, null));
        node.handleDatagram(datagram, datagram.length, client);
        assertThat(sent).isNotEmpty();
        return KrpcCodec.decode(sent.get(0));
    }

    private byte[] token(NodeId target) throws Exception {
        return ((KrpcResponse) call(new Query.Get(target, null, Want.UNSPECIFIED))).token();
    }

    private KrpcMessage put(MutableItem item, Long cas) throws Exception {
        return call(new Query.Put(token(item.target()), item.value(), item.publicKey().bytes(), item.signature(),
                item.salt().length == 0 ? null : item.salt(), item.seq(), cas));
    }

    private static int code(KrpcMessage m) {
        assertThat(m).isInstanceOf(KrpcError.class);
        return ((KrpcError) m).code();
    }

    @Test
    void immutablePutThenGet() throws Exception {
        NodeId target = new ImmutableItem(VALUE).target();
        assertThat(call(new Query.Put(token(target), VALUE, null, null, null, null, null))).isInstanceOf(KrpcResponse.class);
        KrpcResponse got = (KrpcResponse) call(new Query.Get(target, null, Want.UNSPECIFIED));
        assertThat(got.value()).isEqualTo(VALUE);
    }

    @Test
    void errorCodesFollowTheBep() throws Exception {
        Ed25519KeyPair signer = Ed25519KeyPair.ofSeed(new byte[32]);
        MutableItem v1 = MutableItem.sign(signer, SALT, 5, VALUE);
        byte[] token = token(v1.target());

        // 205: v too big (built by hand: our own classes refuse to make one)
        byte[] big = Bencode.encode(new byte[1200]);
        assertThat(code(call(new Query.Put(token, big, null, null, null, null, null)))).isEqualTo(205);
        // 207: salt too big
        assertThat(code(call(new Query.Put(token, VALUE, v1.publicKey().bytes(), v1.signature(), new byte[65], 5L, null)))).isEqualTo(207);
        // 206: bad signature
        byte[] forged = v1.signature();
        forged[10] ^= 1;
        assertThat(code(call(new Query.Put(token, VALUE, v1.publicKey().bytes(), forged, SALT, 5L, null)))).isEqualTo(206);
        // 203: mutable put without a signature, and a bad token
        assertThat(code(call(new Query.Put(token, VALUE, v1.publicKey().bytes(), null, SALT, 5L, null)))).isEqualTo(203);
        assertThat(code(call(new Query.Put(new byte[8], VALUE, v1.publicKey().bytes(), v1.signature(), SALT, 5L, null)))).isEqualTo(203);
        assertThat(node.itemStore().count()).isZero();

        assertThat(put(v1, null)).isInstanceOf(KrpcResponse.class);
        // The identical item again is fine (it refreshes the item).
        assertThat(put(v1, null)).isInstanceOf(KrpcResponse.class);
        // 302: older seq, or same seq with another value
        assertThat(code(put(MutableItem.sign(signer, SALT, 4, VALUE), null))).isEqualTo(302);
        assertThat(code(put(MutableItem.sign(signer, SALT, 5, Bencode.encode(Bencode.bytes("other"))), null))).isEqualTo(302);
        // 301: cas does not match the stored seq
        assertThat(code(put(MutableItem.sign(signer, SALT, 6, VALUE), 4L))).isEqualTo(301);
        assertThat(put(MutableItem.sign(signer, SALT, 6, VALUE), 5L)).isInstanceOf(KrpcResponse.class);

        KrpcResponse got = (KrpcResponse) call(new Query.Get(v1.target(), null, Want.UNSPECIFIED));
        assertThat(got.seq()).isEqualTo(6L);
        assertThat(new MutableItem(got.key(), SALT, got.seq(), got.value(), got.signature()).verify()).isTrue();
        // With seq in the get, an item that is not newer is not sent again.
        KrpcResponse skipped = (KrpcResponse) call(new Query.Get(v1.target(), 6L, Want.UNSPECIFIED));
        assertThat(skipped.value()).isNull();
        assertThat(skipped.seq()).isEqualTo(6L);
    }

    @Test
    void itemsExpireTwoHoursAfterTheLastPut() throws Exception {
        NodeId target = new ImmutableItem(VALUE).target();
        call(new Query.Put(token(target), VALUE, null, null, null, null, null));
        clock.addAndGet(2 * 60 * 60_000L - 1);
        assertThat(((KrpcResponse) call(new Query.Get(target, null, Want.UNSPECIFIED))).value()).isEqualTo(VALUE);
        clock.addAndGet(1);
        assertThat(((KrpcResponse) call(new Query.Get(target, null, Want.UNSPECIFIED))).value()).isNull();
    }

    @Test
    void putsFromOneIpAreRateLimited() throws Exception {
        NodeCore limited = new NodeCore(NodeId.random(new Random(1)), DhtConfig.builder().maxPutsPerIpPerMinute(10).build(),
                clock::get, new Random(2), (data, to) -> sent.add(data));
        node = limited;
        int accepted = 0;
        for (int i = 0; i < 30; i++) {
            byte[] v = Bencode.encode(Bencode.bytes("item " + i));
            KrpcMessage reply = call(new Query.Put(token(new ImmutableItem(v).target()), v, null, null, null, null, null));
            if (reply instanceof KrpcResponse) {
                accepted++;
            }
        }
        assertThat(accepted).isEqualTo(10);
        assertThat(limited.itemStore().count()).isEqualTo(10);
    }
}
