#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hostile clients for bench/server/load.sh, against a cxm serve on 127.0.0.1 only, each phase
bounded in time. Python 3 standard library only.

  abuse.py --port N --pid N [--seconds S] [--big-threads N] [--slow N [N ...]]

Phase 1, big bodies: --big-threads threads for S seconds each send POST /v1/responses with a
2 MB body, alternately with Content-Length (refused from the header) and chunked (refused once
1 MiB has been read), and read the answer (413 expected).
Phase 2, slow clients (once per number given to --slow, default 1000 then 1100): that many
connections each send a request's headers one short line per second for S seconds; when the
server closes one, the client opens another at the next second (an attacker that comes back).
During both, a probe POSTs one valid record every 0.5 s on a new connection and times it, and
the server's VmHWM/VmRSS (/proc/PID/status) are sampled. One summary line per phase.
"""
import argparse
import os
import resource
import selectors
import socket
import threading
import time

HOST = "127.0.0.1"
PROBE_SOURCE = "127.0.0.2"
BIG = 2 * 1024 * 1024


def status_kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return -1


def read_status(sock):
    """The status code of the answer, or 0 when the connection ended without one."""
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    if data.startswith(b"HTTP/1.1 "):
        return int(data[9:12])
    return 0


def big_request(port, chunked):
    s = socket.create_connection((HOST, port), timeout=10)
    try:
        head = f"POST /v1/responses HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
        if chunked:
            s.sendall((head + "Transfer-Encoding: chunked\r\n\r\n").encode())
            piece = b"x" * 65536
            sent = 0
            try:
                while sent < BIG:
                    s.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
                    sent += len(piece)
                s.sendall(b"0\r\n\r\n")
            except OSError:
                pass  # the server refused and closed before the end: expected
        else:
            s.sendall((head + f"Content-Length: {BIG}\r\n\r\n").encode())
            try:
                s.sendall(b"x" * BIG)
            except OSError:
                pass
        return read_status(s)
    finally:
        s.close()


class Probe:
    """A well-behaved client beside the abuse: one valid record every 0.5 s."""

    def __init__(self, port, name):
        self.port, self.name = port, name
        self.times, self.failures, self.n = [], 0, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stop.is_set():
            self.n += 1
            rid = f"probe-{self.name}-{os.getpid()}-{self.n}-{time.time_ns()}"
            body = ('{"responses":[{"id":"%s","survey_id":"after-onboarding","survey_version":3,'
                    '"answers":{"nps":9,"ces":6,"csat":4}}]}' % rid).encode()
            t0 = time.monotonic()
            try:
                # From another loopback address: another client, as the server sees it (the
                # per-client connection cap must not shut it out); still only to 127.0.0.1.
                s = socket.create_connection((HOST, self.port), timeout=10, source_address=(PROBE_SOURCE, 0))
                s.sendall(b"POST /v1/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
                code = read_status(s)
                s.close()
            except OSError:
                code = 0
            if code == 200:
                self.times.append(time.monotonic() - t0)
            else:
                self.failures += 1
            self.stop.wait(0.5)

    def summary(self):
        t = sorted(self.times)
        if not t:
            return f"probe: 0 answered, {self.failures} failed"
        return (f"probe: {len(t)} answered 200, {self.failures} failed, latency median {1000 * t[len(t) // 2]:.1f} ms, "
                f"max {1000 * t[-1]:.1f} ms")


class Sampler:
    def __init__(self, pid):
        self.pid, self.peak_rss = pid, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stop.is_set():
            self.peak_rss = max(self.peak_rss, status_kib(self.pid, "VmRSS"))
            self.stop.wait(0.1)


def phase_big(args):
    deadline = time.monotonic() + args.seconds
    codes, lock = {}, threading.Lock()

    def worker(k):
        chunked = k % 2 == 1
        while time.monotonic() < deadline:
            try:
                code = big_request(args.port, chunked)
            except OSError:
                code = 0
            with lock:
                key = ("chunked " if chunked else "length ") + str(code)
                codes[key] = codes.get(key, 0) + 1

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(args.big_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return ", ".join(f"{v} x {k}" for k, v in sorted(codes.items()))


def phase_slow(args, count):
    sel = selectors.DefaultSelector()
    head = [b"POST /v1/responses HTTP/1.1\r\n", b"Host: 127.0.0.1\r\n", b"Content-Type: application/json\r\n"]
    head += [b"X-Slow-%d: %s\r\n" % (i, b"y" * 20) for i in range(1000)]
    conns = {}  # socket -> [lines sent, when opened]
    opened = refused = reopen = 0
    cut_at, closed_at_once, answers = [], 0, {}

    def open_one():
        nonlocal opened, refused
        try:
            s = socket.create_connection((HOST, args.port), timeout=5)
        except OSError:
            refused += 1
            return
        s.setblocking(False)
        conns[s] = [0, time.monotonic()]
        sel.register(s, selectors.EVENT_READ)
        opened += 1

    for _ in range(count):
        open_one()
    deadline = time.monotonic() + args.seconds
    next_tick = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.05):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if data.startswith(b"HTTP/1.1 "):
                answers[data[9:12].decode()] = answers.get(data[9:12].decode(), 0) + 1
            lines, since = conns.pop(s)
            if lines == 0:
                closed_at_once += 1  # closed before it sent a byte: over the connection limit
            else:
                cut_at.append(time.monotonic() - since)
            sel.unregister(s)
            s.close()
            reopen += 1
        if time.monotonic() >= next_tick:  # one line per connection per second
            next_tick += 1.0
            for _ in range(reopen):  # the attacker comes back, at most once a second per slot
                open_one()
            reopen = 0
            for s, st in conns.items():
                try:
                    s.send(head[st[0] % len(head)])
                    st[0] += 1
                except OSError:
                    pass
    for s in list(conns):
        sel.unregister(s)
        s.close()
    ans = ", ".join(f"{v} x {k}" for k, v in sorted(answers.items())) or "none"
    cut = (f"{len(cut_at)} cut by the server after {min(cut_at):.1f}-{max(cut_at):.1f} s" if cut_at
           else "none cut by the server")
    return (f"{count} slow connections kept open ({opened} opened in all): {cut} (answers before the close: {ans}), "
            f"{closed_at_once} closed at once (over the connection limit), {refused} connects failed")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--big-threads", type=int, default=8)
    ap.add_argument("--slow", type=int, nargs="+", default=[1000, 1100],
                    help="slow connections per slow phase (the server closes those over max_connections, 1024)")
    args = ap.parse_args()
    args.seconds = min(args.seconds, 120)  # bounded, whatever is asked
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, max(args.slow) + 200)), hard))
    phases = [("big bodies", phase_big)]
    phases += [(f"{n} slow clients", lambda a, n=n: phase_slow(a, n)) for n in args.slow]
    for name, phase in phases:
        sampler, probe = Sampler(args.pid), Probe(args.port, name.replace(" ", "-"))
        sampler.thread.start()
        probe.thread.start()
        t0 = time.monotonic()
        result = phase(args)
        took = time.monotonic() - t0
        probe.stop.set()
        sampler.stop.set()
        probe.thread.join()
        sampler.thread.join()
        print(f"{name} ({took:.0f} s): {result}; server peak VmRSS {sampler.peak_rss} KiB, "
              f"VmHWM {status_kib(args.pid, 'VmHWM')} KiB; {probe.summary()}", flush=True)


if __name__ == "__main__":
    main()
