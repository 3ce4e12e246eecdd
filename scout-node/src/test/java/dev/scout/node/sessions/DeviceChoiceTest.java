package dev.scout.node.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scout.app.ScoutApp;
import dev.scout.node.UnknownDeviceException;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Choosing one of a contact's devices by name ({@code scout pipe NAME --device DEVICE}). */
class DeviceChoiceTest {
    private static ScoutApp.ContactDevice device(int tag, String name, long updatedAt) {
        return new ScoutApp.ContactDevice(tag, name, List.of(new InetSocketAddress("203.0.113.5", 6000 + tag)), null,
                List.of(), updatedAt);
    }

    @Test
    void aDeviceIsFoundByItsNameIgnoringCase() {
        List<ScoutApp.ContactDevice> devices = List.of(device(1, "alice-laptop", 100), device(2, "alice-phone", 50));
        assertThat(DeviceChoice.named(devices, "alice", "Alice-Phone", UnknownDeviceException::new).tag()).isEqualTo(2);
        assertThat(DeviceChoice.named(devices, "alice", "alice-laptop", UnknownDeviceException::new).tag()).isEqualTo(1);
    }

    @Test
    void ofTwoDevicesWithOneNameTheOneThatUpdatedLastIsChosen() {
        List<ScoutApp.ContactDevice> devices = List.of(device(1, "pc", 100), device(2, "pc", 300), device(3, "pc", 200));
        assertThat(DeviceChoice.named(devices, "alice", "pc", UnknownDeviceException::new).tag()).isEqualTo(2);
    }

    @Test
    void anUnknownNameFailsNamingTheDevicesThereAre() {
        List<ScoutApp.ContactDevice> devices = List.of(device(1, "alice-laptop", 100), device(7, "", 50));
        assertThatThrownBy(() -> DeviceChoice.named(devices, "alice", "alice-tablet", UnknownDeviceException::new))
                .isInstanceOf(UnknownDeviceException.class)
                .hasMessage("alice has no device named alice-tablet (its devices: alice-laptop, #7)");
        assertThatThrownBy(() -> DeviceChoice.named(List.of(), "alice", "x", UnknownDeviceException::new))
                .isInstanceOf(UnknownDeviceException.class).hasMessageContaining("none known yet");
    }
}
