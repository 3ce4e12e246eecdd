#!/usr/bin/env node
// Sends messages through one Scout daemon and receives them through another's events, with a reconnect
// (the same story as examples/python/send_and_receive.py, in Node.js with its standard library only).
//
//   node send_and_receive.mjs --from ~/.scout-alice --to ~/.scout-bob --contact bob --text "hi Bob"
//
// The receiver gets the message on its event stream, disconnects, a second message arrives while it is
// away, and it reconnects with Last-Event-ID: the journal replays it. Then the receiver marks both read
// and the sender sees the receipt "read_by_contact". Exit 0 when all of that happened within --timeout s.
import {parseArgs} from "node:util";
import {setTimeout as sleep} from "node:timers/promises";
import {ScoutClient} from "./scout_client.mjs";

const {values: args} = parseArgs({options: {
  from: {type: "string"}, to: {type: "string"}, contact: {type: "string"}, text: {type: "string"},
  timeout: {type: "string", default: "120"}}});
for (const required of ["from", "to", "contact", "text"]) {
  if (!args[required]) {
    console.error(`--${required} is required`);
    process.exit(2);
  }
}
const deadline = Date.now() + Number(args.timeout) * 1000;

function fail(message) {
  console.error(message);
  process.exit(1);
}

/** The first message event with this text; fails on a reset or past the deadline. */
async function awaitMessage(stream, text, onReady) {
  for await (const e of stream) {
    if (e.event === "ready" && onReady) onReady();
    if (e.event === "reset") fail("the journal could not replay what was missed");
    if (e.event === "message" && e.data.text === text) return e;
    if (Date.now() > deadline) break;
  }
  return fail(`no message "${text}" in time`);
}

async function until(what, check) {
  while (!(await check())) {
    if (Date.now() > deadline) fail(`${what}: not in time`);
    await sleep(200);
  }
}

const sender = await ScoutClient.fromStateDir(args.from);
const receiver = await ScoutClient.fromStateDir(args.to);
const senderKey = (await sender.identity()).public_key;

// Send once the stream is subscribed ("ready"): nothing announced after it can be missed.
const first = await awaitMessage(receiver.events(), args.text, () => { sender.send(args.contact, args.text).catch((e) => fail(`send: ${e.message}`)); });
console.log(`received from ${first.data.contact} (message ${first.data.message_id.slice(0, 12)}): ${first.data.text}`);
const names = Object.fromEntries((await receiver.contacts()).map((c) => [c.name, c.public_key]));
if (names[first.data.contact] !== senderKey) fail("the message came from an unexpected contact");

const secondText = `${args.text} (while away)`;
const second = await sender.send(args.contact, secondText);
await until("the second message fetched", async () =>
  (await receiver.messages({contact: first.data.contact})).some((m) => m.message_id === second.message_id));
const replayed = await awaitMessage(receiver.events({lastEventId: first.id}), secondText);
console.log(`replayed after reconnecting: ${replayed.data.text}`);

const unread = (await receiver.messages({contact: first.data.contact, unread: true})).map((m) => m.message_id);
if (!unread.includes(first.data.message_id) || !unread.includes(second.message_id)) fail(`expected both unread: ${unread}`);
await receiver.markRead(first.data.contact, second.message_id);
if ((await receiver.messages({contact: first.data.contact, unread: true})).length) fail("still unread after marking read");
await until("the read_by_contact receipt", async () => (await sender.message(second.message_id)).receipt === "read_by_contact");
console.log("marked read; the sender's receipt: read_by_contact");
process.exit(0);
