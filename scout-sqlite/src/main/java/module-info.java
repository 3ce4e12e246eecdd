/**
 * A durable {@link dev.scout.node.NodeStore}: the identity file and a SQLite database in one state
 * directory, written atomically (what the {@code scout} daemon and commands use).
 */
module dev.scout.sqlite {
    requires transitive dev.scout.node;
    requires java.sql;
    requires org.slf4j;
    requires org.xerial.sqlitejdbc;

    exports dev.scout.sqlite;
    exports dev.scout.sqlite.error;
}
