package dev.scout.app;

import dev.scout.core.Entry;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AppEntriesTest {
    private static final List<InetSocketAddress> ADDRESSES =
            List.of(new InetSocketAddress("203.0.113.7", 6881), new InetSocketAddress("192.168.1.20", 6881));

    @Test
    void deviceEntryCarriesItsLastUpdateTime() {
        AppEntries.Device device = new AppEntries.Device(77, "laptop", ADDRESSES, 1_790_000_000L);
        byte[] content = AppEntries.encodeDevice(device);

        assertThat(new String(content, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("1:ui1790000000e");
        AppEntries.Device decoded = AppEntries.decodeDevice(Entry.create(AppEntries.id(0, 77, AppEntries.KIND_DEVICE), content));
        assertThat(decoded).isEqualTo(device);
    }

    @Test
    void entryWithoutUpdateTimeDecodesAsZero() {
        byte[] old = dev.scout.dht.bencode.Bencode.encode(dev.scout.dht.bencode.Bencode.dict("a", List.of(), "n",
                "x".getBytes(java.nio.charset.StandardCharsets.UTF_8), "t", 5L));
        AppEntries.Device decoded = AppEntries.decodeDevice(Entry.create(AppEntries.id(1, 5, AppEntries.KIND_DEVICE), old));
        assertThat(decoded.updatedAt()).isZero();
        assertThat(decoded.name()).isEqualTo("x");
    }

    @Test
    void sameDeviceIgnoresTheUpdateTimeButNotAddressesOrName() {
        AppEntries.Device a = new AppEntries.Device(9, "phone", ADDRESSES, 100);
        assertThat(a.sameAs(new AppEntries.Device(9, "phone", ADDRESSES, 200))).isTrue();
        assertThat(a.sameAs(new AppEntries.Device(9, "phone", ADDRESSES.subList(0, 1), 100))).isFalse();
        assertThat(a.sameAs(new AppEntries.Device(9, "tablet", ADDRESSES, 100))).isFalse();
    }
}
