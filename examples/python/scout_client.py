"""A small client for the Scout daemon's local API (docs/api.md), Python standard library only.

    client = ScoutClient.from_state_dir("~/.scout")      # reads daemon.json: URL and token
    client.send("bob", "hello")
    for event, data in client.events():                  # Server-Sent Events
        if event == "message":
            print(data["contact"], data["text"])
"""
import http.client
import json
import os
import urllib.parse


class ScoutError(Exception):
    """The daemon refused a request: HTTP status and its one-line "error"."""

    def __init__(self, status, message):
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


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
                raise ScoutError(response.status, payload.get("error", ""))
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

    def messages(self, contact=None):
        query = "" if contact is None else "?contact=" + urllib.parse.quote(contact)
        return self.request("GET", "/v1/messages" + query)["messages"]

    def events(self, timeout=60):
        """Yields (event, data) from GET /v1/events, starting with ("ready", {}).

        `timeout` bounds the wait for each line; the daemon sends a keepalive comment every 15 s.
        """
        conn = self._connection(timeout)
        try:
            conn.request("GET", "/v1/events", headers={"Authorization": f"Bearer {self.token}"})
            response = conn.getresponse()
            if response.status != 200:
                raise ScoutError(response.status, json.loads(response.read() or b"{}").get("error", ""))
            event, data = None, []
            while True:
                raw = response.fp.readline()
                if not raw:
                    return  # the daemon closed the stream
                line = raw.decode("utf-8").rstrip("\r\n")
                if line == "":
                    if event is not None:
                        yield event, json.loads("\n".join(data) or "{}")
                    event, data = None, []
                elif line.startswith(":"):
                    continue  # keepalive
                elif line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
        finally:
            conn.close()
