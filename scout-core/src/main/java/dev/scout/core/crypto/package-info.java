/**
 * Identities, key exchange, key derivation and secret boxes, built on Bouncy Castle.
 *
 * <pre>{@code
 * Identity me = Identity.generate();
 * PairKeys keys = PairKeys.derive(me, PublicKey.parse(friendKeyText));
 * }</pre>
 */
package dev.scout.core.crypto;
