"""A small client for the Scout daemon's local API (docs/api.md), Python standard library only.

    client = ScoutClient.from_state_dir("~/.scout")      # reads daemon.json: URL and token
    client.send("bob", "hello")
    for event, data, event_id in client.events():        # Server-Sent Events
        if event == "message":
            print(data["contact"], data["text"])
    # Reconnect later without losing what happened meanwhile:
    for event, data, event_id in client.events(last_event_id=event_id): ...
    client.mark_read("bob", up_to=data["message_id"])     # read is the user's state
"""
import http.client
import json
import os
import urllib.parse


class ScoutError(Exception):
    """The daemon refused a request: HTTP status, its stable "code" and its one-line "error"."""

    def __init__(self, status, message, code=None):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.message = message
        self.code = code


class ScoutClient:
    def __init__(self, url, token, timeout=150):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "::1", "localhost"):
            raise ValueError(f"not a local daemon URL: {url}")
        self.host = parts.hostname
        self.port = parts.port
        self.token = token
        self.timeout = timeout

    @classmethod
    def from_state_dir(cls, state_dir):
        """The daemon serving this state directory (its daemon.json; the daemon must be running)."""
        path = os.path.join(os.path.expanduser(state_dir), "daemon.json")
        with open(path, encoding="utf-8") as f:
            info = json.load(f)
        return cls(info["url"], info["token"])

    def _connection(self, timeout):
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method, path, body=None):
        """One call; the decoded JSON answer, or ScoutError for a 4xx/5xx."""
        conn = self._connection(self.timeout)
        try:
            headers = {"Authorization": f"Bearer {self.token}"}
            data = None
            if body is not None:
                data = json.dumps(body).encode("utf-8")
                headers["Content-Type"] = "application/json"
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            payload = json.loads(response.read().decode("utf-8") or "{}")
            if response.status >= 400:
                raise ScoutError(response.status, payload.get("error", ""), payload.get("code"))
            return payload
        finally:
            conn.close()

    def health(self):
        return self.request("GET", "/v1/health")

    def identity(self):
        return self.request("GET", "/v1/identity")

    def contacts(self):
        return self.request("GET", "/v1/contacts")["contacts"]

    def add_contact(self, name, public_key):
        return self.request("POST", "/v1/contacts", {"name": name, "public_key": public_key})

    def sync(self, contacts=None):
        return self.request("POST", "/v1/sync", {} if contacts is None else {"contacts": contacts})["results"]

    def send(self, contact, text):
        return self.request("POST", "/v1/messages", {"contact": contact, "text": text})

    def inbox(self, contact=None):
        return self.request("POST", "/v1/inbox", {} if contact is None else {"contact": contact})

    def messages(self, contact=None, unread=None, direction=None, limit=None):
        """Every message matching, oldest first, following the pages' "next" cursors."""
        query = {k: v for k, v in (("contact", contact), ("direction", direction), ("limit", limit)) if v is not None}
        if unread is not None:
            query["unread"] = "true" if unread else "false"
        out, after = [], None
        while True:
            page_query = dict(query, **({"after": after} if after else {}))
            suffix = "?" + urllib.parse.urlencode(page_query) if page_query else ""
            page = self.request("GET", "/v1/messages" + suffix)
            out.extend(page["messages"])
            after = page["next"]
            if after is None:
                return out

    def message(self, message_id):
        return self.request("GET", "/v1/messages/" + message_id)

    def mark_read(self, contact, up_to=None):
        """Marks the contact's messages read (up to one, or all) and publishes the read marks."""
        body = {"contact": contact}
        if up_to is not None:
            body["up_to"] = up_to
        return self.request("POST", "/v1/messages/read", body)

    def settings(self, **changes):
        """The daemon's intervals; with keyword arguments, changes them first (PATCH)."""
        if changes:
            return self.request("PATCH", "/v1/settings", changes)
        return self.request("GET", "/v1/settings")

    def events(self, timeout=60, last_event_id=None):
        """Yields (event, data, id) from GET /v1/events, starting with ("ready", {}, None).

        With `last_event_id` (the id of the last event a previous stream gave), the events after it come
        first (or one "reset": re-read state). `timeout` bounds the wait for each line; the daemon sends
        a comment line every second while idle.
        """
        conn = self._connection(timeout)
        try:
            headers = {"Authorization": f"Bearer {self.token}"}
            if last_event_id is not None:
                headers["Last-Event-ID"] = str(last_event_id)
            conn.request("GET", "/v1/events", headers=headers)
            response = conn.getresponse()
            if response.status != 200:
                payload = json.loads(response.read() or b"{}")
                raise ScoutError(response.status, payload.get("error", ""), payload.get("code"))
            event, data, event_id = None, [], None
            while True:
                raw = response.fp.readline()
                if not raw:
                    return  # the daemon closed the stream
                line = raw.decode("utf-8").rstrip("\r\n")
                if line == "":
                    if event is not None:
                        yield event, json.loads("\n".join(data) or "{}"), event_id
                    event, data, event_id = None, [], None
                elif line.startswith(":"):
                    continue  # heartbeat
                elif line.startswith("id:"):
                    event_id = line[3:].strip()
                elif line.startswith("retry:"):
                    continue  # reconnect delay, for clients that reconnect by themselves
                elif line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
        finally:
            conn.close()
