/**
 * Scout core: find and reach a peer knowing nothing but their public key, over the BitTorrent
 * Mainline DHT. Two people share one encrypted <em>contact record</em> (a list of
 * {@link dev.scout.core.Entry entries}) and can leave each other <em>offline messages</em>.
 *
 * <ul>
 *   <li>{@link dev.scout.core.DhtSession} — the entry point: a DHT node plus synchronize,
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
 * <pre>{@code
 * // Each of them, once: an identity. Keep the seed secret; share the public key.
 * Identity alice = Identity.generate();
 * Identity bob = Identity.generate();
 * String alicesCard = alice.publicKey().toZBase32();          // e.g. shown as text or a QR code
 *
 * // Each side derives the same pair keys from its own identity and the other's public key.
 * PairKeys aliceSide = PairKeys.derive(alice, PublicKey.parse(bob.publicKey().toZBase32()));
 * PairKeys bobSide = PairKeys.derive(bob, PublicKey.parse(alicesCard));
 *
 * // Alice: join the DHT, publish her address in the record she shares with Bob.
 * try (DhtSession session = DhtSession.start(DhtConfig.builder().port(0).build())) {
 *     session.bootstrapped().get(30, TimeUnit.SECONDS);
 *     List<Entry> aliceEntries = List.of(Entry.create(1, "203.0.113.7:4000".getBytes(UTF_8)));
 *     SyncResult written = session.synchronize(aliceSide, aliceEntries, SyncListener.NONE)
 *             .get(60, TimeUnit.SECONDS);
 *     aliceEntries = written.entries();
 *     session.keepAlive(written.item());      // re-stored hourly while the session runs
 * }
 *
 * // Bob (another machine): leave Alice a message and point the record at it.
 * try (DhtSession session = DhtSession.start(DhtConfig.builder().port(0).build())) {
 *     session.bootstrapped().get(30, TimeUnit.SECONDS);
 *     ListHead outbox = new ListHead();                          // persist outbox.head() between runs
 *     ListToken token = outbox.pushFront(MessageSeal.seal(bobSide, "see you at 8".getBytes(UTF_8)));
 *     session.putMessage(token).get(60, TimeUnit.SECONDS);
 *
 *     List<Entry> bobEntries = List.of(Entry.create(2, outbox.head().bytes()));   // entry 2: Bob's list head
 *     SyncResult synced = session.synchronize(bobSide, bobEntries, new SyncListener() {
 *         public void entryUpdated(Entry entry) {
 *             if (entry.id() == 1) {
 *                 System.out.println("Alice is at " + new String(entry.content(), UTF_8));
 *             }
 *         }
 *     }).get(60, TimeUnit.SECONDS);
 *     bobEntries = synced.entries();                            // now holds Alice's entry too
 * }
 *
 * // Alice, later: synchronize, find Bob's list head, read new messages newest first.
 * try (DhtSession session = DhtSession.start(DhtConfig.builder().port(0).build())) {
 *     session.bootstrapped().get(30, TimeUnit.SECONDS);
 *     SyncResult synced = session.synchronize(aliceSide, aliceEntries, SyncListener.NONE)
 *             .get(60, TimeUnit.SECONDS);
 *     for (Entry e : synced.entries()) {
 *         if (e.id() == 2 && !e.isDeleted()) {
 *             MessageId bobsHead = MessageId.fromBytes(e.content());
 *             List<StoredMessage> inbox = session.walkMessages(bobsHead, lastReadFromBob, 100)
 *                     .get(60, TimeUnit.SECONDS);
 *             for (StoredMessage m : inbox) {
 *                 System.out.println(new String(MessageSeal.open(aliceSide, m.message()), UTF_8));
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
 * {@link dev.scout.core.LimitExceededException} before anything is sent.
 */
package dev.scout.core;
