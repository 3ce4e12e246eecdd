package dev.scout.session;

import dev.scout.testkit.RandomCases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.dht.FormatException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectIntentTest {
    private static final byte[] NONCE = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");

    @Test
    void encodesTheDocumentedLayout() {
        ConnectIntent i = new ConnectIntent(NONCE, 1_700_000_000_123L, 1_700_000_060L, NatType.CONE, 0x123456,
                List.of(new InetSocketAddress("100.64.0.11", 6881), new InetSocketAddress("fd00::1", 6881)));
        byte[] b = i.encode();
        assertThat(HexFormat.of().formatHex(b)).isEqualTo("0100" + "000102030405060708090a0b0c0d0e0f"
                + "0000018bcfe5687b" + "000000006553f13c" + "02" + "00123456" + "02"
                + "04" + "6440000b" + "1ae1"
                + "06" + "fd000000000000000000000000000001" + "1ae1");
        assertThat(b.length).isLessThanOrEqualTo(255);
        assertThat(ConnectIntent.decode(b)).isEqualTo(i);
    }

    @Test
    void eightIpv6AddressesFitAnEntry() {
        List<InetSocketAddress> many = java.util.stream.IntStream.range(0, 8)
                .mapToObj(k -> new InetSocketAddress("2001:db8::" + (k + 1), 1000 + k)).toList();
        byte[] b = ConnectIntent.create(many, NatType.NONE, 0, 0, 500, 60).encode();
        assertThat(b.length).isEqualTo(40 + 8 * 19).isLessThanOrEqualTo(255);
    }

    @Test
    void rejectsBadInputClearly() {
        assertThatThrownBy(() -> ConnectIntent.create(List.of(), NatType.CONE, 0, 0, 0, 60))
                .hasMessageContaining("1 to 8 addresses");
        byte[] good = ConnectIntent.create(List.of(new InetSocketAddress("10.0.0.1", 1)), NatType.CONE, 0, 0, 0, 60).encode();
        assertThatThrownBy(() -> ConnectIntent.decode(Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(FormatException.class).hasMessageContaining("truncated");
        byte[] v2 = good.clone();
        v2[0] = 2;
        assertThatThrownBy(() -> ConnectIntent.decode(v2)).hasMessageContaining("version 2");
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> ConnectIntent.decode(longer)).hasMessageContaining("trailing");
    }

    @Test
    void arbitraryBytesNeverEscapeAsAnythingButFormatException() {
        RandomCases.forAll(List.of(new byte[0], new byte[255]), 500, r -> RandomCases.bytes(r, 0, 255), junk -> {
            try {
                ConnectIntent.decode(junk);
            } catch (FormatException expected) {
                // fine: malformed input is reported, nothing else escapes
            }
        });
    }
}
