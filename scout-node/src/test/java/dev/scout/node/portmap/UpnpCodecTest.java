package dev.scout.node.portmap;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpnpCodecTest {
    private static final String DESCRIPTION = """
            <?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device><serviceList>
            <service><serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType><controlURL>/L3F</controlURL></service>
            <service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType>
            <controlURL>/ctl/IPConn</controlURL></service></serviceList></device></root>""";

    private static byte[] ssdp(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theLocationIsTakenOnlyOnTheGateway() throws Exception {
        InetAddress gw = InetAddress.getByName("10.251.1.1");
        byte[] ok = ssdp("HTTP/1.1 200 OK\r\nST: x\r\nLocation: http://10.251.1.1:40125/rootDesc.xml\r\n\r\n");
        assertThat(UpnpCodec.location(ok, ok.length, gw)).isEqualTo(URI.create("http://10.251.1.1:40125/rootDesc.xml"));
        byte[] elsewhere = ssdp("HTTP/1.1 200 OK\r\nLOCATION: http://10.251.1.9:80/d.xml\r\n\r\n");
        assertThatThrownBy(() -> UpnpCodec.location(elsewhere, elsewhere.length, gw)).hasMessageContaining("not on the gateway");
        byte[] none = ssdp("HTTP/1.1 200 OK\r\nST: x\r\n\r\n");
        assertThatThrownBy(() -> UpnpCodec.location(none, none.length, gw)).hasMessageContaining("without LOCATION");
        byte[] notOk = ssdp("NOTIFY * HTTP/1.1\r\n\r\n");
        assertThatThrownBy(() -> UpnpCodec.location(notOk, notOk.length, gw)).hasMessageContaining("not \"HTTP/1.1 200\"");
        byte[] ftp = ssdp("HTTP/1.1 200 OK\r\nLOCATION: ftp://10.251.1.1/d.xml\r\n\r\n");
        assertThatThrownBy(() -> UpnpCodec.location(ftp, ftp.length, gw)).hasMessageContaining("not an http URL");
    }

    @Test
    void theWanConnectionServiceAndItsControlUrlAreFound() throws Exception {
        URI base = URI.create("http://10.251.1.1:40125/rootDesc.xml");
        UpnpCodec.Service s = UpnpCodec.service(DESCRIPTION, base);
        assertThat(s.type()).isEqualTo("urn:schemas-upnp-org:service:WANIPConnection:1");
        assertThat(s.control()).isEqualTo(URI.create("http://10.251.1.1:40125/ctl/IPConn"));
        String offsite = DESCRIPTION.replace("/ctl/IPConn", "http://203.0.113.5/steal");
        assertThatThrownBy(() -> UpnpCodec.service(offsite, base)).hasMessageContaining("not on the gateway");
        assertThatThrownBy(() -> UpnpCodec.service("<root/>", base)).hasMessageContaining("no WANIPConnection");
    }

    @Test
    void soapErrorsNameTheUpnpErrorCode() {
        String fault = "<s:Envelope><s:Body><s:Fault><detail><UPnPError><errorCode>725</errorCode>"
                + "<errorDescription>OnlyPermanentLeasesSupported</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>";
        assertThatThrownBy(() -> UpnpCodec.answer(500, fault, "AddPortMapping")).isInstanceOf(PortMapException.class)
                .hasMessage("UPnP: AddPortMapping failed: HTTP 500, UPnP error 725 (OnlyPermanentLeasesSupported)")
                .satisfies(e -> assertThat(UpnpCodec.errorCode((PortMapException) e)).isEqualTo("725"));
        assertThatThrownBy(() -> UpnpCodec.answer(404, "garbage", "AddPortMapping")).hasMessageContaining("UPnP error ? (no description)");
    }

    @Test
    void tagsAreReadWithOrWithoutAPrefixAndUnescaped() {
        assertThat(UpnpCodec.tag("<u:R><NewExternalIPAddress>44.64.0.11</NewExternalIPAddress></u:R>", "NewExternalIPAddress"))
                .contains("44.64.0.11");
        assertThat(UpnpCodec.tag("<m:controlURL>/a?b=1&amp;c=2</m:controlURL>", "controlURL")).contains("/a?b=1&c=2");
        assertThat(UpnpCodec.tag("</controlURL>", "controlURL")).isEmpty();
        assertThat(UpnpCodec.tag("<controlURL>unterminated", "controlURL")).isEmpty();
        assertThat(UpnpCodec.soap("urn:x", "DeletePortMapping", "NewExternalPort", "6881"))
                .contains("<u:DeletePortMapping xmlns:u=\"urn:x\"><NewExternalPort>6881</NewExternalPort></u:DeletePortMapping>");
    }

    @Test
    void httpAnswersAreBoundedAndChunkedOnesJoined() throws Exception {
        SmallHttp.Answer a = SmallHttp.parse(ssdp("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n2\r\nef\r\n0\r\n\r\n"));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo("abcdef");
        assertThatThrownBy(() -> SmallHttp.parse(ssdp("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffff\r\nab")))
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> SmallHttp.parse(ssdp("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")))
                .hasMessageContaining("chunk size");
        assertThatThrownBy(() -> SmallHttp.parse(ssdp("SSH-2.0-dropbear\r\n\r\n"))).hasMessageContaining("not an HTTP answer");
        assertThatThrownBy(() -> SmallHttp.parse(ssdp("HTTP/1.1 2x0 OK\r\n\r\n"))).hasMessageContaining("status code");
        byte[] big = ssdp("HTTP/1.1 200 OK\r\n\r\n" + "x".repeat(SmallHttp.MAX_BODY + 1));
        assertThatThrownBy(() -> SmallHttp.parse(big)).hasMessageContaining("over 64 KiB");
    }

    @Test
    void randomTextNeverEscapesAsAnythingButPortMapException() throws Exception {
        Random random = new Random(2026);
        InetAddress gw = InetAddress.getByName("10.251.1.1");
        URI base = URI.create("http://10.251.1.1:1/d.xml");
        String alphabet = "<>/:&;? \r\nHTTP/1.1 200LOCATIONhttp://10.251.1.1controlURLserviceTypeurn:schemas-upnp-org:service:WANIPConnection:1";
        for (int i = 0; i < 5_000; i++) {
            StringBuilder b = new StringBuilder(random.nextBoolean() ? "HTTP/1.1 200 OK\r\n" : "");
            int n = random.nextInt(300);
            for (int j = 0; j < n; j++) {
                b.append(random.nextInt(4) == 0 ? (char) random.nextInt(256) : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            byte[] raw = ssdp(b.toString());
            for (ThrowingCall call : new ThrowingCall[] {() -> UpnpCodec.location(raw, raw.length, gw),
                    () -> UpnpCodec.service(b.toString(), base), () -> SmallHttp.parse(raw)}) {
                try {
                    call.run();
                } catch (PortMapException expected) {
                    assertThat(expected.getMessage()).startsWith("UPnP: ");
                }
            }
        }
    }

    interface ThrowingCall {
        void run() throws PortMapException;
    }
}
