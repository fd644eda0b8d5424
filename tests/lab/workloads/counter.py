#!/usr/bin/env python3
"""A small stateful service for migration tests and the demo.

It keeps a counter in memory, appends every value to a file on its data directory (kept open, so a
checkpoint carries the file position) and serves the current state over HTTP as JSON. The token is
drawn once at start: the same token after a migration proves the process was restored, not restarted.
"""
import argparse
import http.server
import json
import os
import secrets
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--interval", type=float, default=0.1)
    args = parser.parse_args()

    state = {"counter": 0, "token": secrets.token_hex(8), "started": time.time()}
    log = open(os.path.join(args.data_dir, "counter.log"), "a", buffering=1)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps(dict(state, hostname=os.uname().nodename)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_):
            pass

    server = http.server.HTTPServer((args.address, args.port), Handler)
    server.timeout = args.interval
    next_tick = time.monotonic()
    while True:
        server.handle_request()
        now = time.monotonic()
        if now >= next_tick:
            state["counter"] += 1
            log.write("%d\n" % state["counter"])
            next_tick = now + args.interval


if __name__ == "__main__":
    main()
