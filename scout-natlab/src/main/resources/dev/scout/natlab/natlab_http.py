#!/usr/bin/env python3
"""One call to a scout daemon's local API, run inside the daemon's network namespace (the API listens on
that namespace's 127.0.0.1). Reads the URL and token from STATE_DIR/daemon.json.

usage: natlab_http.py STATE_DIR METHOD PATH [JSON_BODY]
prints the HTTP status on the first line and the body on the second.
"""
import json
import sys
import urllib.error
import urllib.request


def main():
    state, method, path = sys.argv[1:4]
    body = sys.argv[4].encode() if len(sys.argv) > 4 else None
    with open(state + "/daemon.json") as f:
        daemon = json.load(f)
    req = urllib.request.Request(daemon["url"] + path, data=body, method=method,
                                 headers={"Authorization": "Bearer " + daemon["token"],
                                          "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            code, text = r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        code, text = e.code, e.read().decode()
    print(code)
    print(text.replace("\n", " "))


if __name__ == "__main__":
    main()
