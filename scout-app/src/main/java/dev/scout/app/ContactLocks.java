package dev.scout.app;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per contact: a synchronize, send or inbox for a contact runs alone (reentrant: a send's own
 * synchronize takes the lock it holds), while different contacts proceed in parallel. A lock is a few
 * dozen bytes, kept for each contact ever used.
 */
final class ContactLocks {
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** Runs {@code action} holding the contact's lock. */
    <T> T locked(Contact contact, Supplier<T> action) {
        ReentrantLock lock = locks.computeIfAbsent(contact.publicKey().toHex(), k -> new ReentrantLock());
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
