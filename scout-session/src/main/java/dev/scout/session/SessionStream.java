package dev.scout.session;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * One reliable, ordered, flow-controlled byte stream inside a {@link Session}. Either side may open
 * one; both directions are independent. {@link #output()} blocks while the peer's receive window
 * is full; closing it sends the end of the stream, after which the peer's {@link #input()} reads -1.
 * A stream is used by one reader thread and one writer thread at a time.
 *
 * <p>The streams keep the {@code java.io} contract: when the session fails, a read or write throws an
 * {@link java.io.IOException} whose cause is the (unchecked) {@link SessionException} that ended it.
 */
public interface SessionStream {
    /** {@return the stream's number within its session (even: opened by the initiator, odd: by the responder)} */
    int id();

    /** {@return what the peer writes: -1 at its end, an {@link java.io.IOException} (cause: a {@link SessionException}) if the session fails first} */
    InputStream input();

    /** {@return what this side writes; {@code close()} ends the stream (the peer reads -1 after the last byte)} */
    OutputStream output();
}
