#!/usr/bin/env python3
"""Sends messages through one Scout daemon and receives them through another's events, with a reconnect.

    send_and_receive.py --from ~/.scout-alice --to ~/.scout-bob --contact bob --text "hi Bob"

--contact is the receiver's name in the sender's contacts. The receiver gets the message on its event
stream, disconnects, a second message arrives while it is away, and it reconnects with Last-Event-ID:
the journal replays the second one. Then the receiver marks both read and the sender sees the receipt
"read_by_contact". Exit 0 when all of that happened within --timeout seconds, else 1.
"""
import argparse
import sys
import threading
import time

from scout_client import ScoutClient


def await_message(stream, text, deadline):
    """The first message event with this text, and its event id; None past the deadline."""
    for event, data, event_id in stream:
        if event == "reset":
            print("the journal could not replay what was missed", file=sys.stderr)
            return None
        if event == "message" and data["text"] == text:
            return data, event_id
        if time.monotonic() > deadline:
            break
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="sender", required=True, help="the sending daemon's state directory")
    parser.add_argument("--to", dest="receiver", required=True, help="the receiving daemon's state directory")
    parser.add_argument("--contact", required=True, help="the receiver's name in the sender's contacts")
    parser.add_argument("--text", required=True)
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()

    sender = ScoutClient.from_state_dir(args.sender)
    receiver = ScoutClient.from_state_dir(args.receiver)
    sender_key = sender.identity()["public_key"]
    deadline = time.monotonic() + args.timeout

    stream = receiver.events(timeout=args.timeout)
    event, _, _ = next(stream)
    if event != "ready":
        print(f"unexpected first event {event!r}", file=sys.stderr)
        return 1
    # Subscribed: nothing announced from here on can be missed. Send from another thread so a slow
    # send cannot delay reading the stream.
    sent = {}
    threading.Thread(target=lambda: sent.update(sender.send(args.contact, args.text)), daemon=True).start()
    got = await_message(stream, args.text, deadline)
    stream.close()
    if got is None:
        print(f"no message within {args.timeout} s (sent: {sent})", file=sys.stderr)
        return 1
    first, last_id = got
    print(f"received from {first['contact']} (message {first['message_id'][:12]}): {first['text']}")
    # The receiver knows the sender by its own name for them; check it is the same key.
    names = {c["name"]: c["public_key"] for c in receiver.contacts()}
    if names.get(first["contact"]) != sender_key:
        print("the message came from an unexpected contact", file=sys.stderr)
        return 1

    # Away: a second message arrives while no stream is open; wait until the receiver's daemon has it.
    second_text = args.text + " (while away)"
    second = sender.send(args.contact, second_text)
    while not any(m["message_id"] == second["message_id"] for m in receiver.messages(contact=first["contact"])):
        if time.monotonic() > deadline:
            print("the second message was not fetched in time", file=sys.stderr)
            return 1
        time.sleep(0.2)
    got = await_message(receiver.events(timeout=args.timeout, last_event_id=last_id), second_text, deadline)
    if got is None:
        print("the second message was not replayed after the reconnect", file=sys.stderr)
        return 1
    print(f"replayed after reconnecting: {got[0]['text']}")

    # Fetched is not read: both are unread until marked.
    unread = [m["message_id"] for m in receiver.messages(contact=first["contact"], unread=True)]
    if first["message_id"] not in unread or second["message_id"] not in unread:
        print(f"expected both messages unread, got {unread}", file=sys.stderr)
        return 1
    receiver.mark_read(first["contact"], up_to=second["message_id"])
    if receiver.messages(contact=first["contact"], unread=True):
        print("messages still unread after marking them read", file=sys.stderr)
        return 1
    while sender.message(second["message_id"])["receipt"] != "read_by_contact":
        if time.monotonic() > deadline:
            print("the sender did not see the read mark in time", file=sys.stderr)
            return 1
        time.sleep(0.2)
    print("marked read; the sender's receipt: read_by_contact")
    return 0


if __name__ == "__main__":
    sys.exit(main())
