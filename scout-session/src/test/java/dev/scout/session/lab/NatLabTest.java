package dev.scout.session.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scout.core.crypto.Identity;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Direct sessions through real Linux NAT: two homes behind port-restricted cone NATs (h1, h2), two
 * behind symmetric NATs (h3, h4), a public host with a small DHT of our own. Each device is a
 * separate JVM running a DHT node whose socket its session endpoint shares; it learns its external
 * address from the DHT's BEP 42 votes and the test hands that address to the other side (the
 * rendezvous through the pair's record comes with the daemon).
 */
class NatLabTest {
    private static final long FIVE_MB = 5L << 20;
    private static NatLab lab;
    private static NatLab.Peer dht;
    private static NatLab.Peer pub;
    private static NatLab.Peer mallory;
    private static final NatLab.Peer[] home = new NatLab.Peer[5];
    private static final Identity[] ids = new Identity[5];
    private static final String[] external = new String[5];
    private static Identity pubId;
    private static Identity malloryId;
    private static String pubAddress;
    private static String malloryAddress;

    @BeforeAll
    static void buildLab() throws Exception {
        NatLab.requireCapabilities();
        lab = new NatLab();
        lab.build(false, false, true, true);
        for (int k = 1; k <= 4; k++) {
            ids[k] = Identity.generate();
        }
        pubId = Identity.generate();
        malloryId = Identity.generate();
        String everyone = keys(ids[1], ids[2], ids[3], ids[4], pubId);
        String bootstrap = NatLab.INTERNET + ".10:6881";
        dht = lab.start("pub", "6881", seed(Identity.generate()), "none", "rw");
        dht.await("ready", 60);
        pub = lab.start("pub", "7000", seed(pubId), bootstrap, "rw", everyone);
        mallory = lab.start("pub", "7001", seed(malloryId), bootstrap, "rw", everyone);
        for (int k = 1; k <= 4; k++) {
            // Behind NAT a daemon runs its DHT node read-only (issue 12), so homes never query each
            // other through the DHT: such unsolicited packets would make the NATs pick new ports.
            home[k] = lab.start("h" + k, "6881", seed(ids[k]), bootstrap, "ro", everyone);
        }
        pubAddress = pub.await("ready", 60).split(" ")[1];
        malloryAddress = mallory.await("ready", 60).split(" ")[1];
        for (int k = 1; k <= 4; k++) {
            external[k] = home[k].await("ready", 60).split(" ")[1];
        }
        home[3].send("nat SYMMETRIC");
        home[4].send("nat SYMMETRIC");
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            lab.close();
            assertThat(lab.leftovers()).as("namespaces left behind").isEmpty();
        }
    }

    @Test
    void coneToConeCarriesFiveMegabytesIntact() throws Exception {
        // The DHT saw each home at its router's address, with the device's port kept by the cone NAT.
        assertThat(external[1]).isEqualTo(NatLab.INTERNET + ".11:6881");
        assertThat(external[2]).isEqualTo(NatLab.INTERNET + ".12:6881");
        home[1].send("pipe cc " + hex(ids[2]) + " " + external[2] + " CONE " + FIVE_MB + " 11");
        home[2].send("pipe cc " + hex(ids[1]) + " " + external[1] + " CONE 0 0");
        assertThat(home[1].await("cc connected", 20)).contains(NatLab.INTERNET + ".12");
        String received = home[2].await("cc received", 60);
        assertThat(received).isEqualTo("cc received " + FIVE_MB + " " + LabPeer.expectedDigest(FIVE_MB, 11));
        assertThat(home[1].await("cc sent", 30)).isEqualTo("cc sent " + FIVE_MB);
    }

    @Test
    void publicToConeCarriesFiveMegabytesIntact() throws Exception {
        pub.send("pipe pc " + hex(ids[1]) + " " + external[1] + " CONE " + FIVE_MB + " 12");
        home[1].send("pipe pc " + hex(pubId) + " " + pubAddress + " NONE 0 0");
        String received = home[1].await("pc received", 60);
        assertThat(received).isEqualTo("pc received " + FIVE_MB + " " + LabPeer.expectedDigest(FIVE_MB, 12));
    }

    @Test
    void symmetricToSymmetricFailsClearlyWithinFifteenSeconds() throws Exception {
        home[3].send("pipe ss " + hex(ids[4]) + " " + external[4] + " SYMMETRIC " + FIVE_MB + " 13");
        home[4].send("pipe ss " + hex(ids[3]) + " " + external[3] + " SYMMETRIC 0 0");
        for (NatLab.Peer p : new NatLab.Peer[] {home[3], home[4]}) {
            String line = p.await("ss ", 20);
            assertThat(line).startsWith("ss failed ").contains("no direct path").contains("symmetric NAT");
            long millis = Long.parseLong(line.split(" ")[2]);
            assertThat(millis).isLessThan(15_000);
        }
    }

    @Test
    void aManInTheMiddleWithTheWrongKeyGetsNothing() throws Exception {
        // h2 is told Mallory's address for h1's key: the initiation is encrypted to h1's key, so
        // Mallory (who would accept h2 as a contact) can neither read nor answer it.
        home[2].send("pipe mitm " + hex(ids[1]) + " " + malloryAddress + " UNKNOWN " + 1000 + " 14");
        String line = home[2].await("mitm ", 20);
        assertThat(line).startsWith("mitm failed ").contains("no direct path");
        assertThat(mallory.transcript()).noneMatch(l -> l.startsWith("incoming"));
    }

    private static String seed(Identity id) {
        return HexFormat.of().formatHex(id.seed());
    }

    private static String hex(Identity id) {
        return id.publicKey().toHex();
    }

    private static String keys(Identity... list) {
        StringBuilder b = new StringBuilder();
        for (Identity id : list) {
            b.append(b.length() == 0 ? "" : " ").append(hex(id));
        }
        return b.toString();
    }
}
