/**
 * The {@code scout} command: an application, so it exports nothing. Its commands are opened to
 * picocli, which reads their annotations reflectively.
 */
module dev.scout.cli {
    requires dev.scout.core;
    requires info.picocli;
    requires java.sql;
    requires jdk.unsupported;
    requires org.slf4j;
    requires org.xerial.sqlitejdbc;

    opens dev.scout.cli to info.picocli;
}
