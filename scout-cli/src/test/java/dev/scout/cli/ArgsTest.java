package dev.scout.cli;

import dev.scout.cli.common.Args;
import dev.scout.cli.common.CommandNode;
import dev.scout.cli.dht.DhtGetCommand;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArgsTest {
    final CommandLine cl = new CommandLine(new ScoutCommand(java.util.Map.of()));

    @Test
    void bootstrapListsAreSplitAndChecked() {
        assertThat(Args.hostPorts(cl, "--bootstrap", "a.example:1, 127.0.0.1:6881,,[::1]:7"))
                .containsExactly("a.example:1", "127.0.0.1:6881", "[::1]:7");
        assertThatThrownBy(() -> Args.hostPorts(cl, "--bootstrap", "host")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> Args.hostPorts(cl, "--bootstrap", "host:0")).hasMessageContaining("1..65535");
        assertThatThrownBy(() -> Args.hostPorts(cl, "--bootstrap", "::1:5")).hasMessageContaining("[ADDRESS]:PORT");
    }

    @Test
    void loopbackDetectionNeverResolvesNames() {
        assertThat(CommandNode.allLoopback(List.of("127.0.0.1:1", "localhost:2", "127.5.5.5:3"))).isTrue();
        assertThat(CommandNode.allLoopback(List.of("127.0.0.1:1", "router.bittorrent.com:6881"))).isFalse();
        assertThat(CommandNode.allLoopback(List.of("10.0.0.1:1"))).isFalse();
        assertThat(CommandNode.allLoopback(List.of())).isFalse();
        assertThat(Args.isLoopback("[::1]:5")).isTrue();
    }

    @Test
    void valuesAndSalts() {
        assertThat(new String(Args.value(cl, "hi", false))).isEqualTo("2:hi");
        assertThat(new String(Args.value(cl, "li1ee", true))).isEqualTo("li1ee");
        assertThatThrownBy(() -> Args.value(cl, "i01e", true)).hasMessageContaining("not valid bencode");
        assertThatThrownBy(() -> Args.value(cl, "", true)).hasMessageContaining("not valid bencode");
        assertThat(Args.value(cl, "", false)).containsExactly('0', ':');
        assertThat(Args.salt(cl, null, null)).isEmpty();
        assertThat(Args.salt(cl, null, "00ff")).containsExactly(0, 0xff);
        assertThatThrownBy(() -> Args.salt(cl, null, "0")).hasMessageContaining("--salt-hex must be hex digits");
        assertThatThrownBy(() -> Args.id(cl, "ID", "zz")).hasMessageContaining("ID must be hex digits (40 of them)");
    }

    @Test
    void renderShowsByteStringsAsTextAndTheRestBencoded() {
        assertThat(DhtGetCommand.render("5:hello".getBytes())).isEqualTo("hello");
        assertThat(DhtGetCommand.render("li1ei2ee".getBytes())).isEqualTo("li1ei2ee");
        assertThat(DhtGetCommand.render("d1:a0:e".getBytes())).isEqualTo("d1:a0:e");
    }
}
