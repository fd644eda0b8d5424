#!/usr/bin/env python3
"""A client of the counter service that measures what a migration does to its connections.

Run it where the clients are (the lab's client namespace: `lab.sh client python3 probe.py ...`). Every
--interval it does two things, each in a thread of its own so that one stalled connection does not stop
the other:

  established  sends `get` over ONE connection to the counter's line port, kept open for the whole run, and
               reads the reply. If that connection breaks (reset, end of file, no reply within
               --reply-timeout) the probe says so and counts it; it connects again only to go on measuring,
               and the summary reports the connection as broken and replaced, never as the same.
  fresh        opens a new connection for each request (HTTP GET to --http-port, or one line to the line
               port when no --http-port is given) and reads the reply.

For each it records the longest gap between two successful replies, the errors by kind and the
connections made, and over all replies whether the token stayed the same and the counter never went back
(per channel; replies of two channels can cross). It stops after --duration seconds, on SIGTERM or SIGINT,
or once --stop-file exists, then prints one JSON line (see summary()) and exits 0; 2 on bad arguments.
Standard library only.
"""
import argparse
import json
import os
import signal
import socket
import sys
import threading
import time

# How many error descriptions the summary keeps per channel (the counts cover all).
KEPT_ERRORS = 20


class Channel:
    """What one kind of request saw."""

    def __init__(self, name, started):
        self.name = name
        self.started = started
        self.lock = threading.Lock()
        self.requests = 0
        self.replies = 0
        self.connects = 0
        self.errors = {}
        self.first_errors = []
        self.last_reply = None
        self.first_reply = None
        self.longest_gap = 0.0
        self.longest_gap_ended = None
        self.tokens = []
        self.hostnames = []
        self.last_counter = None
        self.counter_went_back = False

    def reply(self, state):
        now = time.monotonic()
        with self.lock:
            self.replies += 1
            if self.last_reply is None:
                self.first_reply = now
            else:
                gap = now - self.last_reply
                if gap > self.longest_gap:
                    self.longest_gap, self.longest_gap_ended = gap, now
            self.last_reply = now
            token, host, counter = state.get("token"), state.get("hostname"), state.get("counter")
            if not self.tokens or self.tokens[-1] != token:
                self.tokens.append(token)
            if not self.hostnames or self.hostnames[-1] != host:
                self.hostnames.append(host)
            if self.last_counter is not None and counter < self.last_counter:
                self.counter_went_back = True
            self.last_counter = counter

    def error(self, kind, detail):
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1
            if len(self.first_errors) < KEPT_ERRORS:
                self.first_errors.append({"at_ms": round((time.monotonic() - self.started) * 1000), "kind": kind, "detail": detail})

    def summary(self, stopped):
        with self.lock:
            return {
                "requests": self.requests,
                "replies": self.replies,
                "connects": self.connects,
                "errors": sum(self.errors.values()),
                "errors_by_kind": dict(self.errors),
                "first_errors": list(self.first_errors),
                "longest_gap_ms": round(self.longest_gap * 1000, 1),
                "longest_gap_ended_ms": None if self.longest_gap_ended is None else round((self.longest_gap_ended - self.started) * 1000),
                "since_last_reply_ms": None if self.last_reply is None else round((stopped - self.last_reply) * 1000, 1),
                "tokens": list(self.tokens),
                "hostnames": list(self.hostnames),
                "last_counter": self.last_counter,
                "counter_went_back": self.counter_went_back,
            }


def error_kind(error):
    if isinstance(error, ConnectionResetError):
        return "reset"
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, (socket.timeout, TimeoutError)):
        return "timeout"
    if isinstance(error, EOFError):
        return "closed"
    if isinstance(error, ValueError):
        return "bad-reply"
    return "error"


def read_line(sock, buffered):
    """One line from sock (with what an earlier read left in buffered[0])."""
    while b"\n" not in buffered[0]:
        data = sock.recv(65536)
        if not data:
            raise EOFError("the service closed the connection")
        buffered[0] += data
    line, buffered[0] = buffered[0].split(b"\n", 1)
    return line


def parse_state(text):
    state = json.loads(text)
    if not isinstance(state, dict) or not isinstance(state.get("counter"), int) or "token" not in state:
        raise ValueError("not a counter state: %r" % text[:200])
    return state


def paced(interval, stop):
    """Yields every interval until stop is set; a late round is not made up."""
    next_round = time.monotonic()
    while not stop.is_set():
        yield
        next_round += interval
        now = time.monotonic()
        if next_round < now:
            next_round = now
        stop.wait(next_round - now)


def run_established(args, channel, stop, ready):
    sock, buffered = None, [b""]
    broken_at = None
    for _ in paced(args.interval, stop):
        try:
            if sock is None:
                channel.connects += 1
                sock = socket.create_connection((args.address, args.line_port), timeout=args.connect_timeout)
                sock.settimeout(args.reply_timeout)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                buffered = [b""]
            with channel.lock:
                channel.requests += 1
            sock.sendall(b"get\n")
            channel.reply(parse_state(read_line(sock, buffered)))
            ready.set()
        except (OSError, EOFError, ValueError) as error:
            if sock is not None:
                # The connection is broken for good: a new one is counted as a reconnect, never taken for it.
                if broken_at is None:
                    broken_at = round((time.monotonic() - channel.started) * 1000)
                channel.error(error_kind(error), str(error))
                sock.close()
                sock = None
            else:
                channel.error(error_kind(error), str(error))
    if sock is not None:
        sock.close()
    return broken_at


def run_fresh(args, channel, stop, ready):
    request = (b"GET / HTTP/1.0\r\nHost: %s\r\n\r\n" % args.address.encode()) if args.http_port else b"get\n"
    port = args.http_port or args.line_port
    for _ in paced(args.interval, stop):
        with channel.lock:
            channel.requests += 1
        try:
            channel.connects += 1
            with socket.create_connection((args.address, port), timeout=args.connect_timeout) as sock:
                sock.settimeout(args.connect_timeout)
                sock.sendall(request)
                if args.http_port:
                    chunks = []
                    while True:
                        data = sock.recv(65536)
                        if not data:
                            break
                        chunks.append(data)
                    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
                    if not head.startswith(b"HTTP/1.") or b" 200 " not in head.split(b"\r\n", 1)[0] + b" ":
                        raise ValueError("not a 200 reply: %r" % head[:100])
                    channel.reply(parse_state(body))
                else:
                    channel.reply(parse_state(read_line(sock, [b""])))
            ready.set()
        except (OSError, EOFError, ValueError) as error:
            channel.error(error_kind(error), str(error))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--address", required=True)
    parser.add_argument("--line-port", type=int, required=True)
    parser.add_argument("--http-port", type=int, help="fresh requests are HTTP GETs here (default: lines to the line port)")
    parser.add_argument("--interval", type=float, default=0.01)
    parser.add_argument("--duration", type=float, help="seconds to run (default: until a signal or the stop file)")
    parser.add_argument("--stop-file", help="stop once this file exists")
    parser.add_argument("--ready-file", help="created once both channels have had a reply")
    parser.add_argument("--connect-timeout", type=float, default=1.0, help="seconds for a fresh connection and its reply")
    parser.add_argument("--reply-timeout", type=float, default=30.0,
                        help="seconds the established connection may go without a reply before it counts as broken")
    args = parser.parse_args()
    if args.interval <= 0 or args.connect_timeout <= 0 or args.reply_timeout <= 0 or (args.duration is not None and args.duration <= 0):
        parser.error("--interval, --duration and the timeouts must be positive")

    started = time.monotonic()
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    established, fresh = Channel("established", started), Channel("fresh", started)
    established_ready, fresh_ready = threading.Event(), threading.Event()
    outcome = {}
    threads = [
        threading.Thread(target=lambda: outcome.update(broken_at=run_established(args, established, stop, established_ready)), daemon=True),
        threading.Thread(target=run_fresh, args=(args, fresh, stop, fresh_ready), daemon=True),
    ]
    for thread in threads:
        thread.start()

    ready_written = False
    deadline = None if args.duration is None else started + args.duration
    while not stop.is_set():
        if args.ready_file and not ready_written and established_ready.is_set() and fresh_ready.is_set():
            with open(args.ready_file, "w") as ready:
                ready.write("%d\n" % os.getpid())
            ready_written = True
        if args.stop_file and os.path.exists(args.stop_file):
            break
        if deadline is not None and time.monotonic() >= deadline:
            break
        stop.wait(0.01)
    stop.set()
    for thread in threads:
        # A request in flight ends by its own timeout.
        thread.join(max(args.reply_timeout, args.connect_timeout) + 1)
    stopped = time.monotonic()

    summary = {
        "address": args.address,
        "line_port": args.line_port,
        "http_port": args.http_port,
        "interval_ms": args.interval * 1000,
        "duration_ms": round((stopped - started) * 1000),
        "established": dict(established.summary(stopped),
                            broken=outcome.get("broken_at") is not None or established.connects > 1,
                            broken_at_ms=outcome.get("broken_at"),
                            reconnects=max(0, established.connects - 1)),
        "fresh": fresh.summary(stopped),
    }
    tokens = set(established.tokens) | set(fresh.tokens)
    summary["token_stable"] = len(tokens) <= 1
    summary["counter_monotonic"] = not (established.counter_went_back or fresh.counter_went_back)
    summary["connection_kept"] = (not summary["established"]["broken"]) and established.replies > 0
    json.dump(summary, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
