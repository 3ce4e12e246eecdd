package dev.scout.session.transport;

import java.util.List;

/** An ack-eliciting packet in flight: what to re-send if it is lost and what it cost the window. */
public record SentPacket(long number, long sentAt, int size, List<Frame> frames) {
}
