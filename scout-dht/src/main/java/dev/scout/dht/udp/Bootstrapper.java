package dev.scout.dht.udp;

import dev.scout.dht.DhtConfig;
import dev.scout.dht.DhtException;
import dev.scout.dht.NodeInfo;
import dev.scout.dht.node.NodeCore;
import dev.scout.dht.transport.UdpTransport;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A {@link DhtNode}'s join: router names are resolved off the I/O thread (DNS can block for seconds),
 * then the saved nodes (by id, closest first) and the routers are asked at once, so a saved table full
 * of dead entries costs nothing more than the routers' round trip.
 */
final class Bootstrapper {
    private Bootstrapper() {
    }

    /**
     * Starts joining on {@code background}; completes or fails {@code bootstrapped} when done. Either way
     * the node then watches for outages and keeps trying ({@link NodeCore#recoverFromOutages});
     * {@code connectivity} hears of each outage's start and end on the loop.
     */
    static void inBackground(DhtConfig config, UdpTransport transport, NodeCore core, LoopCalls calls,
                             Executor background, List<NodeInfo> saved, BooleanSupplier closed,
                             CompletableFuture<Void> bootstrapped, Consumer<Boolean> connectivity) {
        boolean ipv6 = transport.localAddress().getAddress() instanceof Inet6Address;
        Runnable resolveAgain = () -> background.execute(() -> {
            if (!closed.getAsBoolean()) {
                List<InetSocketAddress> routers = BootstrapRouters.resolve(config.bootstrap(), ipv6);
                transport.execute(() -> core.routers(routers));
            }
        });
        background.execute(() -> {
            List<InetSocketAddress> routers = BootstrapRouters.resolve(config.bootstrap(), ipv6);
            calls.onLoop(o -> {
                // Before the join: a join that fails is the first outage, and the node keeps trying.
                core.recoverFromOutages(routers, !config.bootstrap().isEmpty(), resolveAgain, connectivity);
                return core.bootstrap(saved, routers).future();
            }).whenComplete((nodes, error) -> {
                if (closed.getAsBoolean()) {
                    bootstrapped.completeExceptionally(new DhtException("node closed"));
                } else if (nodes != null && !nodes.isEmpty()) {
                    bootstrapped.complete(null);
                } else {
                    transport.execute(core::joinFailed);
                    String why = transport.lastSendFailure().map(f -> ": " + f.describe()).orElse("");
                    bootstrapped.completeExceptionally(new DhtException("could not reach any DHT node (bootstrap: "
                            + String.join(", ", config.bootstrap()) + ")" + why));
                }
            });
        });
    }
}
