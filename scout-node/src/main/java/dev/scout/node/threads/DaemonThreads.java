package dev.scout.node.threads;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * The node's threads: every one is a named daemon thread, so a node nobody closed never keeps the JVM
 * alive, and a thread dump names the part each thread belongs to.
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** {@return a factory of daemon threads all called {@code name}} */
    public static ThreadFactory named(String name) {
        return r -> thread(name, r);
    }

    /** {@return a daemon thread called {@code name} running {@code task}, not started} */
    public static Thread thread(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }

    /** Runs {@code task} on a new daemon thread called {@code name}. */
    public static void start(String name, Runnable task) {
        thread(name, task).start();
    }

    /** {@return a timer of one daemon thread called {@code name}} */
    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(named(name));
    }

    /** {@return a timer of {@code threads} daemon threads called {@code name}} */
    public static ScheduledExecutorService scheduler(String name, int threads) {
        return Executors.newScheduledThreadPool(threads, named(name));
    }

    /** {@return a pool of daemon threads called {@code name}, made as needed and reused} */
    public static ExecutorService pool(String name) {
        return Executors.newCachedThreadPool(named(name));
    }

    /** {@return an executor of one daemon thread called {@code name}: tasks run one at a time, in order} */
    public static ExecutorService serial(String name) {
        return Executors.newSingleThreadExecutor(named(name));
    }
}
