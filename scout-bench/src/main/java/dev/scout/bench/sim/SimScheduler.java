package dev.scout.bench.sim;

import dev.scout.dht.transport.SimNetwork;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} on a {@link SimNetwork}'s virtual clock: timers fire on the
 * simulation's thread when the network has run that long. Lets code written for real time (scout-core's
 * {@code KeepAlive}) run unchanged in a simulated day. One-shot timers only.
 */
final class SimScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final SimNetwork net;
    private boolean shutdown;

    SimScheduler(SimNetwork net) {
        this.net = net;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return schedule(() -> {
            command.run();
            return null;
        }, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        long at = net.now() + unit.toMillis(delay);
        Timer<V> timer = new Timer<>(callable, at);
        net.schedule(unit.toMillis(delay), () -> {
            if (!shutdown) {
                timer.run(); // a cancelled FutureTask does nothing
            }
        });
        return timer;
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("one-shot timers only");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("one-shot timers only");
    }

    @Override
    public void execute(Runnable command) {
        net.schedule(0, command);
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }

    private final class Timer<V> extends FutureTask<V> implements ScheduledFuture<V> {
        private final long at;

        Timer(Callable<V> callable, long at) {
            super(callable);
            this.at = at;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - net.now(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.MILLISECONDS), other.getDelay(TimeUnit.MILLISECONDS));
        }
    }
}
