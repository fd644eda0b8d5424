#!/usr/bin/env python3
"""A workload that holds memory, for measuring how a live switch's downtime grows with it.

It fills a buffer of --mib MiB from os.urandom (incompressible, so no transfer can shrink it), and with
--write-mib-per-s keeps overwriting random 4 KiB-aligned pages of it at about that rate, from a pool of
random bytes drawn once (so writing costs a copy, not a draw). It proves its memory survived a move with a
checksum: DIR/checksum (sha256 hex of the whole buffer and a newline) is written once the buffer is
filled, and again whenever DIR/checksum-request appears; the request is deleted after the checksum is
written, so a client waits for it to go and then reads the checksum. DIR/ready appears once the buffer is
filled and the first checksum written.

CRIU must be able to checkpoint it: one thread, no files kept open (each state file is opened, written and
closed), stdio as inherited, and a plain sleep between polls.
"""
import argparse
import hashlib
import os
import random
import time

PAGE = 4096
# How often it looks for a checksum request, and so the longest a request waits before hashing starts.
POLL_SECONDS = 0.05
# Catch-up is capped at this much time, so a pause (a freeze, a hash) is not followed by a burst of writes.
MAX_CATCH_UP_SECONDS = 0.2
POOL_BYTES = 4 << 20
# Small enough that the allocator hands each chunk back rather than keeping it as dirty heap, which a checkpoint would carry.
FILL_CHUNK = 1 << 20


def write_file(path, text):
    """Writes text to path.new, then renames it over path, so a reader never sees part of it."""
    partial = path + ".new"
    with open(partial, "w") as f:
        f.write(text)
    os.replace(partial, path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, required=True)
    parser.add_argument("--write-mib-per-s", type=float, default=0.0)
    parser.add_argument("--state", required=True)
    args = parser.parse_args()
    if args.mib < 1 or args.write_mib_per_s < 0:
        parser.error("--mib must be at least 1 and --write-mib-per-s not negative")

    size = args.mib << 20
    buffer = bytearray(size)
    view = memoryview(buffer)
    for offset in range(0, size, FILL_CHUNK):
        end = min(offset + FILL_CHUNK, size)
        view[offset:end] = os.urandom(end - offset)

    checksum_path = os.path.join(args.state, "checksum")
    request_path = os.path.join(args.state, "checksum-request")

    def publish_checksum():
        write_file(checksum_path, hashlib.sha256(view).hexdigest() + "\n")

    publish_checksum()
    write_file(os.path.join(args.state, "ready"), "%d\n" % os.getpid())

    pool = memoryview(os.urandom(POOL_BYTES if args.write_mib_per_s > 0 else PAGE))
    pages = size // PAGE
    pool_pages = len(pool) // PAGE
    rate = args.write_mib_per_s * (1 << 20)
    draw = random.Random(os.urandom(16))
    budget = 0.0
    last = time.monotonic()
    while True:
        if os.path.exists(request_path):
            publish_checksum()
            try:
                os.unlink(request_path)
            except FileNotFoundError:
                pass
            last = time.monotonic()
        if rate > 0:
            now = time.monotonic()
            budget += rate * min(now - last, MAX_CATCH_UP_SECONDS)
            last = now
            while budget >= PAGE:
                target = draw.randrange(pages) * PAGE
                source = draw.randrange(pool_pages) * PAGE
                view[target:target + PAGE] = pool[source:source + PAGE]
                budget -= PAGE
        time.sleep(POLL_SECONDS)


if __name__ == "__main__":
    main()
