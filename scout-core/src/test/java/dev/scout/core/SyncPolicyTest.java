package dev.scout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SyncPolicyTest {

    @Test
    void backoffDoublesFromTheBaseUpToTheCap() {
        SyncPolicy p = new SyncPolicy(8, 200, 5_000);
        assertThat(p.backoffBound(2)).isEqualTo(200);
        assertThat(p.backoffBound(3)).isEqualTo(400);
        assertThat(p.backoffBound(6)).isEqualTo(3_200);
        assertThat(p.backoffBound(7)).isEqualTo(5_000);
        assertThat(p.backoffBound(1_000)).isEqualTo(5_000);
        assertThat(new SyncPolicy(3, Long.MAX_VALUE / 2, Long.MAX_VALUE).backoffBound(5)).isEqualTo(Long.MAX_VALUE);
        assertThat(new SyncPolicy(1, 0, 0).backoffBound(4)).isZero();
    }

    @Test
    void invalidPoliciesAreRefused() {
        assertThatThrownBy(() -> new SyncPolicy(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyncPolicy(1, -1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void delayersComplete() throws Exception {
        assertThat(Delayer.immediate().delay(1_000)).isCompleted();
        CompletableFuture<Void> real = Delayer.realTime().delay(1);
        real.get(10, TimeUnit.SECONDS);
        assertThat(real).isCompleted();
    }
}
