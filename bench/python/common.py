"""Measurement and reporting shared by the Python contenders.

Speaks the harness protocol (see bench/src/protocol.ts): one JSON argument in;
a peer prints {"port": n} once listening; a measured process prints one
measurement line when done, then exits.
"""
import asyncio
import json
import resource
import sys
import time

HOST = "127.0.0.1"
LINE_SIZE = 64
FRAME_BODY = 100
FRAME_SIZE = 4 + FRAME_BODY
PING = b"ping-0123456789\n"


def child_args():
    return json.loads(sys.argv[1])


def _cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Clock:
    """Times the measured section: wall clock and this process's CPU."""

    def __init__(self):
        self.cpu0 = _cpu_seconds()
        self.t0 = time.perf_counter()

    def stop(self, units, nbytes):
        wall = time.perf_counter() - self.t0
        cpu = _cpu_seconds() - self.cpu0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        out = {"wallMs": wall * 1000, "cpuMs": cpu * 1000, "maxRssKiB": peak, "units": units, "bytes": nbytes}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


def announce_port(port):
    sys.stdout.write(json.dumps({"port": port}) + "\n")
    sys.stdout.flush()


def fail(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
    sys.exit(1)


def run_role(library, roles):
    """Run the role this process was started as (its JSON argument's `variant`)."""
    args = child_args()
    role = roles.get(args["variant"])
    if role is None:
        fail(f"{library}: unknown variant {args['variant']}")
    asyncio.run(role(args.get("port"), args["count"]))
