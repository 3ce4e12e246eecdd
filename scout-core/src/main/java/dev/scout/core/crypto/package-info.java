/**
 * Key exchange and key derivation for a pair of people, built on Bouncy Castle: X25519 from their
 * Ed25519 keys ({@link dev.scout.dht.Ed25519KeyPair}, {@link dev.scout.dht.Ed25519PublicKey}) and
 * HKDF into {@link dev.scout.core.crypto.PairKeys}.
 *
 * <pre>{@code
 * Ed25519KeyPair me = Ed25519KeyPair.generate();
 * PairKeys keys = PairKeys.derive(me, Ed25519PublicKey.parse(friendKeyText));
 * }</pre>
 */
package dev.scout.core.crypto;
