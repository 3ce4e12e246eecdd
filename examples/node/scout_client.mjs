// A small client for the Scout daemon's local API (docs/api.md), Node.js standard library only.
//
//   const client = await ScoutClient.fromStateDir("~/.scout");   // reads daemon.json: URL and token
//   await client.send("bob", "hello");
//   for await (const {event, data, id} of client.events()) { ... }  // Server-Sent Events
//   client.events({lastEventId: id})                               // resume: the journal replays the rest
//   await client.markRead("bob", messageId);                       // read is the user's state
import http from "node:http";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** The daemon refused a request: HTTP status, its stable `code` and its one-line `error`. */
export class ScoutError extends Error {
  constructor(status, message, code) {
    super(`${status} ${code}: ${message}`);
    this.status = status;
    this.code = code;
  }
}

export class ScoutClient {
  constructor(url, token) {
    const u = new URL(url);
    if (u.protocol !== "http:" || !["127.0.0.1", "[::1]", "localhost"].includes(u.hostname)) {
      throw new Error(`not a local daemon URL: ${url}`);
    }
    this.host = u.hostname.replace(/^\[|\]$/g, "");
    this.port = Number(u.port);
    this.token = token;
  }

  /** The daemon serving this state directory (its daemon.json; the daemon must be running). */
  static async fromStateDir(stateDir) {
    const dir = stateDir.startsWith("~") ? path.join(os.homedir(), stateDir.slice(1)) : stateDir;
    const info = JSON.parse(await fs.readFile(path.join(dir, "daemon.json"), "utf8"));
    return new ScoutClient(info.url, info.token);
  }

  #open(method, pathAndQuery, headers) {
    return http.request({host: this.host, port: this.port, method, path: pathAndQuery,
      headers: {Authorization: `Bearer ${this.token}`, ...headers}});
  }

  /** One call: the decoded JSON answer, or a ScoutError for a 4xx/5xx. */
  request(method, pathAndQuery, body) {
    return new Promise((resolve, reject) => {
      const data = body === undefined ? null : Buffer.from(JSON.stringify(body), "utf8");
      const req = this.#open(method, pathAndQuery, data ? {"Content-Type": "application/json"} : {});
      req.setTimeout(150_000, () => req.destroy(new Error(`${method} ${pathAndQuery}: no answer in 150 s`)));
      req.on("error", reject);
      req.on("response", (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const payload = text ? JSON.parse(text) : {};
          if (res.statusCode >= 400) {
            reject(new ScoutError(res.statusCode, payload.error, payload.code));
          } else {
            resolve(payload);
          }
        });
      });
      req.end(data ?? undefined);
    });
  }

  identity() { return this.request("GET", "/v1/identity"); }
  async contacts() { return (await this.request("GET", "/v1/contacts")).contacts; }
  send(contact, text) { return this.request("POST", "/v1/messages", {contact, text}); }
  message(id) { return this.request("GET", `/v1/messages/${id}`); }
  markRead(contact, upTo) {
    return this.request("POST", "/v1/messages/read", upTo === undefined ? {contact} : {contact, up_to: upTo});
  }

  /** Every message matching ({contact, unread, direction}), oldest first, following the pages' cursors. */
  async messages(query = {}) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined) params.set(k, String(v));
    }
    const out = [];
    let after = null;
    do {
      if (after) params.set("after", after);
      const page = await this.request("GET", `/v1/messages?${params}`);
      out.push(...page.messages);
      after = page.next;
    } while (after);
    return out;
  }

  /**
   * Yields {event, data, id} from GET /v1/events, starting with {event: "ready"}. With lastEventId, the
   * events after it come first (or one "reset": re-read state). Stop by breaking out of the loop.
   */
  async *events({lastEventId} = {}) {
    const req = this.#open("GET", "/v1/events", lastEventId ? {"Last-Event-ID": String(lastEventId)} : {});
    const res = await new Promise((resolve, reject) => {
      req.on("response", resolve);
      req.on("error", reject);
      req.end();
    });
    try {
      if (res.statusCode !== 200) {
        const chunks = [];
        for await (const c of res) chunks.push(c);
        const payload = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
        throw new ScoutError(res.statusCode, payload.error, payload.code);
      }
      res.setEncoding("utf8");
      let buffer = "";
      let event = null, data = [], id = null;
      for await (const chunk of res) {
        buffer += chunk;
        let nl;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, nl).replace(/\r$/, "");
          buffer = buffer.slice(nl + 1);
          if (line === "") {
            if (event !== null) yield {event, data: JSON.parse(data.join("\n") || "{}"), id};
            event = null; data = []; id = null;
          } else if (line.startsWith(":") || line.startsWith("retry:")) {
            // heartbeat comment, reconnect delay
          } else if (line.startsWith("event:")) {
            event = line.slice(6).trim();
          } else if (line.startsWith("data:")) {
            data.push(line.slice(5).trim());
          } else if (line.startsWith("id:")) {
            id = line.slice(3).trim();
          }
        }
      }
    } finally {
      req.destroy();
    }
  }
}
