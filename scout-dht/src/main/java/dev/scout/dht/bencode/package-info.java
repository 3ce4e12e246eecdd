/**
 * A strict, bounded bencode codec (BEP 3): the encoding of KRPC messages and of BEP 44 values.
 *
 * <pre>{@code
 * byte[] encoded = Bencode.encode(Bencode.dict("n", 42L, "name", Bencode.bytes("scout")));
 * Object decoded = Bencode.decode(encoded, BencodeLimits.KRPC);  // a Map<String, Object>
 * }</pre>
 */
package dev.scout.dht.bencode;
