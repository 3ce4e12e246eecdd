package dev.scout.sqlite;

import dev.scout.app.OutgoingMessage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scout.core.message.MessageBlob;
import dev.scout.core.message.MessageId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks a contact's outgoing list in a store: one unbroken chain from the head holding every row. */
final class ChainCheck {

    private ChainCheck() {}

    /** Returns the chain oldest first after checking it. */
    static List<MessageId> verify(StateStore store, String contact) {
        List<OutgoingMessage> rows = store.outgoing(contact);
        Map<MessageId, OutgoingMessage> byId = new HashMap<>();
        for (OutgoingMessage m : rows) {
            assertThat(byId.put(m.id(), m)).as("duplicate row %s", m.id()).isNull();
            assertThat(MessageId.ofValue(m.value())).as("id of %s matches its value", m.id()).isEqualTo(m.id());
            assertThat(MessageBlob.parseBencodedValue(m.value()).next()).as("next of %s", m.id()).isEqualTo(m.next());
        }
        List<MessageId> chain = new ArrayList<>();
        MessageId current = store.outboxHead(contact);
        while (!current.isEnd()) {
            assertThat(chain.size()).as("chain longer than the rows: a cycle").isLessThan(rows.size());
            OutgoingMessage m = byId.get(current);
            assertThat(m).as("chain link %s (after %d links) is recorded", current, chain.size()).isNotNull();
            chain.add(current);
            current = m.next();
        }
        assertThat(chain).as("every recorded message is reachable from the head").hasSize(rows.size());
        Collections.reverse(chain);
        return chain;
    }
}
