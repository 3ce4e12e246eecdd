package dev.scout.cli.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;

/**
 * The one place JSON is configured: every JSON the CLI prints, the local API serves or reads, and
 * {@code daemon.json} go through this mapper. Parsing is strict (one value, no trailing tokens) and
 * bounded (nesting depth, string length), so hostile input costs little.
 */
public final class Jackson {
    /** Deepest nesting a request body may have. */
    static final int MAX_DEPTH = 32;

    /** The shared mapper (thread-safe). */
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                            .maxStringLength(1 << 20).maxNumberLength(64).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /**
     * Writes printable ASCII only (control characters, DEL and anything beyond ASCII as backslash-u
     * escapes): survives any terminal encoding, and a hostile message cannot send escape codes to it.
     */
    public static final ObjectWriter ASCII = MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII)
            .with(new PrintableAscii());

    private static final class PrintableAscii extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] codes;

        PrintableAscii() {
            codes = standardAsciiEscapesForJSON();
            codes[0x7F] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return codes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null; // the standard six-character escape for everything flagged
        }
    }

    private Jackson() {}

    /** A new, empty object. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A new, empty array. */
    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** {@code node} as one line of ASCII JSON. */
    public static String line(JsonNode node) {
        try {
            return ASCII.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serializes", e);
        }
    }

    /** Parses {@code text}; {@link JsonProcessingException} with Jackson's one-line reason if it is not JSON. */
    public static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }
}
