package dev.scout.bench.micro;

import dev.scout.dht.bencode.Bencode;
import dev.scout.dht.bencode.BencodeException;
import dev.scout.dht.bencode.BencodeLimits;
import dev.scout.dht.krpc.KrpcCodec;
import dev.scout.dht.krpc.KrpcDecodeException;
import dev.scout.dht.krpc.KrpcMessage;
import dev.scout.dht.krpc.KrpcResponse;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Random;

/**
 * Bencode and KRPC codec on typical datagrams: raw bencode decode / encode of a find_node response
 * (8 nodes), and the full typed KRPC decode / encode of a find_node query, a find_node response and a
 * BEP 44 get response with a mutable item.
 */
@State(Scope.Thread)
public class BencodeBench {
    private byte[] findNodeResponseWire;
    private byte[] findNodeQueryWire;
    private byte[] mutableGetResponseWire;
    private Object findNodeResponseTree;
    private KrpcResponse findNodeResponse;

    @Setup
    public void setup() throws BencodeException {
        Random random = new Random(42);
        findNodeQueryWire = KrpcCodec.encode(KrpcMessages.findNodeQuery(random));
        findNodeResponse = KrpcMessages.findNodeResponse(random);
        findNodeResponseWire = KrpcCodec.encode(findNodeResponse);
        mutableGetResponseWire = KrpcCodec.encode(KrpcMessages.mutableGetResponse(random));
        findNodeResponseTree = Bencode.decode(findNodeResponseWire, BencodeLimits.KRPC);
    }

    @Benchmark
    public Object bencodeDecodeFindNodeResponse() throws BencodeException {
        return Bencode.decode(findNodeResponseWire, BencodeLimits.KRPC);
    }

    @Benchmark
    public byte[] bencodeEncodeFindNodeResponse() {
        return Bencode.encode(findNodeResponseTree);
    }

    @Benchmark
    public KrpcMessage krpcDecodeFindNodeQuery() throws KrpcDecodeException {
        return KrpcCodec.decode(findNodeQueryWire);
    }

    @Benchmark
    public KrpcMessage krpcDecodeFindNodeResponse() throws KrpcDecodeException {
        return KrpcCodec.decode(findNodeResponseWire);
    }

    @Benchmark
    public byte[] krpcEncodeFindNodeResponse() {
        return KrpcCodec.encode(findNodeResponse);
    }

    @Benchmark
    public KrpcMessage krpcDecodeMutableGetResponse() throws KrpcDecodeException {
        return KrpcCodec.decode(mutableGetResponseWire);
    }

    /** Sizes of the datagrams, for the report. */
    public static int[] sizes() throws BencodeException {
        BencodeBench b = new BencodeBench();
        b.setup();
        return new int[] {b.findNodeQueryWire.length, b.findNodeResponseWire.length, b.mutableGetResponseWire.length};
    }
}
