package dev.scout.app;

/**
 * Everything {@link ScoutApp} keeps between runs, as one object: an application implements the five
 * storage interfaces over its own database (the {@code scout} command uses SQLite). Each method is one
 * atomic change that has reached durable storage when it returns.
 */
public interface AppStore extends DeviceStore, ContactStore, RecordStore, OutboxStore, InboxStore {
}
