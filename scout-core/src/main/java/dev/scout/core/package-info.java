/**
 * Scout core: find and reach a peer knowing nothing but their public key, over the BitTorrent
 * Mainline DHT. Two people share one encrypted <em>contact record</em> (a list of
 * {@link dev.scout.core.RecordEntry entries}) and can leave each other <em>offline messages</em>.
 *
 * <ul>
 *   <li>{@link dev.scout.core.DhtClient} — the entry point: a DHT node plus synchronize,
 *       messages and keep-alive;</li>
 *   <li>{@link dev.scout.core.Synchronizer} — get, decrypt, merge, finalize and put the record
 *       (compare-and-swap, bounded retries with jitter);</li>
 *   <li>{@link dev.scout.core.RecordItem} / {@link dev.scout.core.ContactRecord} — the record as a
 *       BEP 44 mutable item and its encrypted value;</li>
 *   <li>{@link dev.scout.core.KeepAlive} — re-stores items about hourly, so they outlive the
 *       DHT's two-hour expiry;</li>
 *   <li>keys in {@link dev.scout.core.crypto}, messages in {@link dev.scout.core.message}.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Every network operation returns a {@link java.util.concurrent.CompletableFuture} and never
 * blocks. Futures and {@link dev.scout.core.SyncListener} callbacks complete on the DHT node's
 * callback threads (never its I/O loop); keep-alive timers run on the session's
 * {@code scout-keepalive} thread. Blocking with {@code get()} is fine on your own threads, as
 * below, but never inside a callback.
 *
 * <h2>Alice and Bob</h2>
 * {@code config} is {@code DhtConfig.builder().build()} to join the public Mainline DHT, or
 * {@code testnet.nodeConfig().build()} to join a {@link dev.scout.dht.udp.LoopbackTestnet} in tests;
 * {@code out} is where the example prints ({@code System.out}). The example is compiled and run
 * by the project's tests.
 * <pre>{@code
 * // Each of them, once: a key pair. Keep the seed secret; share the public key.
 * Ed25519KeyPair alice = Ed25519KeyPair.generate();
 * Ed25519KeyPair bob = Ed25519KeyPair.generate();
 * String alicesCard = alice.publicKey().toZBase32();        // e.g. shown as text or a QR code
 * String bobsCard = bob.publicKey().toZBase32();
 *
 * // Each side derives the same pair keys from its own key pair and the other's public key.
 * PairKeys aliceSide = PairKeys.derive(alice, Ed25519PublicKey.parse(bobsCard));
 * PairKeys bobSide = PairKeys.derive(bob, Ed25519PublicKey.parse(alicesCard));
 *
 * // Alice: join the DHT, publish her address in the record she shares with Bob.
 * List<RecordEntry> aliceEntries;                            // persist them between runs
 * try (DhtClient session = DhtClient.start(config)) {
 *     session.bootstrapped().get(30, TimeUnit.SECONDS);
 *     List<RecordEntry> mine = List.of(RecordEntry.of(1, "203.0.113.7:4000".getBytes(UTF_8)));
 *     SyncResult written = session.synchronize(aliceSide, mine, SyncListener.NONE)
 *             .get(60, TimeUnit.SECONDS);
 *     aliceEntries = written.entries();
 * }
 *
 * // Bob (another machine): leave Alice a message and point the record at it.
 * try (DhtClient session = DhtClient.start(config)) {
 *     session.bootstrapped().get(30, TimeUnit.SECONDS);
 *     ListHead outbox = new ListHead();                      // persist outbox.head() between runs
 *     ListToken token = outbox.pushFront(MessageSeal.seal(bobSide, "see you at 8".getBytes(UTF_8)));
 *     session.putMessage(token).get(60, TimeUnit.SECONDS);
 *
 *     List<RecordEntry> bobEntries = List.of(RecordEntry.of(2, outbox.head().bytes())); // Bob's list head
 *     session.synchronize(bobSide, bobEntries, new SyncListener() {
 *         @Override
 *         public void entryUpdated(RecordEntry entry) {
 *             if (entry.id() == 1) {
 *                 out.println("Alice is at " + new String(entry.content(), UTF_8));
 *             }
 *         }
 *     }).get(60, TimeUnit.SECONDS);
 * }
 *
 * // Alice, later: synchronize, find Bob's list head, read new messages newest first.
 * MessageId lastReadFromBob = MessageId.END;                 // persist it between runs
 * try (DhtClient session = DhtClient.start(config)) {
 *     session.bootstrapped().get(30, TimeUnit.SECONDS);
 *     SyncResult synced = session.synchronize(aliceSide, aliceEntries, SyncListener.NONE)
 *             .get(60, TimeUnit.SECONDS);
 *     for (RecordEntry e : synced.entries()) {
 *         if (e.id() == 2 && !e.isDeleted()) {
 *             MessageId bobsHead = MessageId.of(e.content());
 *             List<StoredMessage> inbox = session.walkMessages(bobsHead, lastReadFromBob, 100)
 *                     .get(60, TimeUnit.SECONDS);
 *             for (StoredMessage m : inbox) {
 *                 out.println("Bob: " + new String(MessageSeal.open(aliceSide, m.message()), UTF_8));
 *             }
 *             lastReadFromBob = bobsHead;
 *         }
 *     }
 * }
 * }</pre>
 * Errors are typed: a record that does not decrypt fails with
 * {@link dev.scout.core.RecordDecryptionException}, lost races with
 * {@link dev.scout.core.SyncConflictException}, a gap in a message list with
 * {@link dev.scout.core.message.MissingMessageException}, oversized data with
 * {@link dev.scout.dht.LimitExceededException} before anything is sent.
 */
package dev.scout.core;
