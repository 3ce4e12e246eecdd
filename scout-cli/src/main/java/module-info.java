/**
 * The {@code scout} command: an application, so it exports nothing. Its commands are opened to
 * picocli, which reads their annotations reflectively.
 */
module dev.scout.cli {
    requires dev.scout.node;
    requires dev.scout.sqlite;
    requires com.fasterxml.jackson.databind;
    requires info.picocli;
    requires java.net.http;
    requires jdk.httpserver;
    requires jdk.unsupported;
    requires org.slf4j;

    opens dev.scout.cli to info.picocli;
    opens dev.scout.cli.common to info.picocli;
    opens dev.scout.cli.app to info.picocli;
    opens dev.scout.cli.daemon to info.picocli;
    opens dev.scout.cli.demo to info.picocli;
    opens dev.scout.cli.dht to info.picocli;
}
