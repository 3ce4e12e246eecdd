/**
 * Identities, key exchange, key derivation and secret boxes, built on Bouncy Castle.
 *
 * <pre>{@code
 * Ed25519KeyPair me = Ed25519KeyPair.generate();
 * PairKeys keys = PairKeys.derive(me, Ed25519PublicKey.parse(friendKeyText));
 * }</pre>
 */
package dev.scout.core.crypto;
