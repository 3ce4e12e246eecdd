#!/usr/bin/env python3
"""Sends a message through one Scout daemon and waits for it on another daemon's event stream.

    send_and_receive.py --from ~/.scout-alice --to ~/.scout-bob --contact bob --text "hi Bob"

--contact is the receiver's name in the sender's contacts. Exit 0 once the receiving daemon announced
the message (its poll found it in the DHT); 1 if it did not within --timeout seconds.
"""
import argparse
import sys
import threading
import time

from scout_client import ScoutClient


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
    event, _ = next(stream)
    if event != "ready":
        print(f"unexpected first event {event!r}", file=sys.stderr)
        return 1
    # Subscribed: nothing announced from here on can be missed. Send from another thread so a slow
    # send cannot delay reading the stream.
    sent = {}
    threading.Thread(target=lambda: sent.update(sender.send(args.contact, args.text)), daemon=True).start()
    for event, data in stream:
        if event == "message" and data["text"] == args.text:
            print(f"received from {data['contact']} (message {data['message_id'][:12]}): {data['text']}")
            # The receiver knows the sender by its own name for them; check it is the same key.
            names = {c["name"]: c["public_key"] for c in receiver.contacts()}
            if names.get(data["contact"]) != sender_key:
                print("the message came from an unexpected contact", file=sys.stderr)
                return 1
            return 0
        if time.monotonic() > deadline:
            break
    print(f"no message within {args.timeout} s (sent: {sent})", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
