#!/usr/bin/env python3
"""A small stateful service for migration tests and the demo.

It keeps a counter in memory, appends every value to a file on its data directory (kept open, so a
checkpoint carries the file position) and serves the current state over HTTP as JSON. The token is
drawn once at start: the same token after a migration proves the process was restored, not restarted.

With --line-port it also serves the state on persistent connections: every line a client sends is
answered with one JSON line, so a client can hold one connection across a migration and see whether
it survived. One thread serves everything (selectors), so many clients never hold up the ticks.
"""
import argparse
import http.server
import json
import os
import secrets
import selectors
import socket
import time

# A line longer than this is not a request; the connection is closed.
MAX_LINE = 4096


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument("--line-port", type=int, help="also serve one JSON line per request line on this port")
    args = parser.parse_args()

    state = {"counter": 0, "token": secrets.token_hex(8), "started": time.time()}
    log = open(os.path.join(args.data_dir, "counter.log"), "a", buffering=1)

    def snapshot():
        return json.dumps(dict(state, hostname=os.uname().nodename))

    class Handler(http.server.BaseHTTPRequestHandler):
        # A client that connects and says nothing must not stop the counter for long.
        timeout = 1

        def do_GET(self):
            body = snapshot().encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_):
            pass

    # poll, not epoll: it holds no descriptor of its own, so the service's open files stay the log and its sockets.
    selector = selectors.PollSelector()
    server = http.server.HTTPServer((args.address, args.port), Handler)
    server.timeout = 0
    selector.register(server.socket, selectors.EVENT_READ, "http")
    if args.line_port is not None:
        listener = socket.create_server((args.address, args.line_port), backlog=128)
        listener.setblocking(False)
        selector.register(listener, selectors.EVENT_READ, "line-listener")

    # Per line connection: bytes received but not yet a whole line, and replies not yet sent.
    pending = {}

    def close(conn):
        selector.unregister(conn)
        pending.pop(conn, None)
        conn.close()

    def want_write(conn, wanted):
        selector.modify(conn, selectors.EVENT_READ | (selectors.EVENT_WRITE if wanted else 0), "line")

    def on_readable(conn):
        try:
            data = conn.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            close(conn)
            return
        if not data:
            close(conn)
            return
        buffers = pending[conn]
        buffers[0] += data
        *lines, buffers[0] = buffers[0].split(b"\n")
        if len(buffers[0]) > MAX_LINE:
            close(conn)
            return
        for _ in lines:
            buffers[1] += snapshot().encode() + b"\n"
        flush(conn)

    def flush(conn):
        buffers = pending[conn]
        try:
            sent = conn.send(buffers[1]) if buffers[1] else 0
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:
            close(conn)
            return
        buffers[1] = buffers[1][sent:]
        want_write(conn, bool(buffers[1]))

    next_tick = time.monotonic()
    while True:
        for key, events in selector.select(max(0.0, next_tick - time.monotonic())):
            if key.data == "http":
                server.handle_request()
            elif key.data == "line-listener":
                try:
                    conn, _ = key.fileobj.accept()
                except (BlockingIOError, InterruptedError):
                    continue
                conn.setblocking(False)
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                pending[conn] = [b"", b""]
                selector.register(conn, selectors.EVENT_READ, "line")
            elif key.fileobj in pending:
                if events & selectors.EVENT_READ:
                    on_readable(key.fileobj)
                if key.fileobj in pending and events & selectors.EVENT_WRITE:
                    flush(key.fileobj)
        now = time.monotonic()
        if now >= next_tick:
            state["counter"] += 1
            log.write("%d\n" % state["counter"])
            next_tick = now + args.interval


if __name__ == "__main__":
    main()
