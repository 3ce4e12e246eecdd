/**
 * The {@code scout} command: an application, so it exports nothing. Its commands are opened to
 * picocli, which reads their annotations reflectively.
 */
module dev.scout.cli {
    requires dev.scout.app;
    requires dev.scout.core;
    requires dev.scout.session;
    requires com.fasterxml.jackson.databind;
    requires info.picocli;
    requires java.net.http;
    requires java.sql;
    requires jdk.httpserver;
    requires jdk.unsupported;
    requires org.slf4j;
    requires org.xerial.sqlitejdbc;

    opens dev.scout.cli to info.picocli;
}
