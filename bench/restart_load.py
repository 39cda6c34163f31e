#!/usr/bin/env python3
"""Open-loop load for bench/restart.sh: requests start at a fixed rate whatever the answers take (a slow or restarting
backend does not slow the load down, as it would a closed loop), each on its own connection, through the load balancer.

usage: restart_load.py BASE VENDOR_URLS TRACKING_URLS POST_REFS OUT_DIR RATE_GET RATE_POST STOP_FILE [MAX_SECONDS]

  BASE           http://127.0.0.1:PORT of the load balancer
  VENDOR_URLS    file: one vendor link path a line (/v/pv_...)
  TRACKING_URLS  file: one tracking link path a line (/t/pt_...)
  POST_REFS      file: "vendor-path reference" a line: orders whose vendor posts new dates
  RATE_GET       vendor and tracking page GETs per second (half each)
  RATE_POST      vendor form posts per second (each is a GET of the order's page for its nonce, then the POST)
  STOP_FILE      the load stops when this file exists (or after MAX_SECONDS, default 900)

Writes OUT_DIR/requests.log ("start_s kind status ms detail", one a request) and OUT_DIR/summary.json. A request
fails on a connection error, a timeout (30 s) or a status other than the expected one: 200 for pages, 303 for a
post (SAVED or ALREADY, the form's nonce makes a repeated post harmless). A post whose page GET failed counts that
GET's failure.
"""
import asyncio
import datetime
import json
import os
import re
import sys
import time

TIMEOUT = 30.0
NONCE = re.compile(r'action="([^"]*/date)"[^>]*>\s*<input type="hidden" name="nonce" value="([^"]+)">'
                   r'\s*(?:<input type="hidden" name="version" value="(\d+)">)?', re.S)
CONFIRM = re.compile(r'action="([^"]*/confirm)"[^>]*>\s*<input type="hidden" name="nonce" value="([^"]+)">'
                     r'\s*(?:<input type="hidden" name="version" value="(\d+)">)?', re.S)


async def request(host, port, method, path, body=None):
    """One HTTP/1.1 request on a new connection: (status, headers text, body bytes)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        head = f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: Mozilla/5.0 (restart bench)\r\n" \
               f"Accept-Language: en\r\nConnection: close\r\n"
        data = b""
        if body is not None:
            data = body.encode()
            head += f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(data)}\r\n"
        writer.write(head.encode() + b"\r\n" + data)
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    if not raw:
        raise ConnectionError("empty response")
    head, _, rest = raw.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].decode(errors="replace")
    parts = status_line.split(" ")
    if len(parts) < 2 or not parts[1].isdigit():
        raise ConnectionError("bad status line " + status_line[:80])
    return int(parts[1]), head.decode(errors="replace"), rest


class Load:
    def __init__(self, base, out_dir):
        m = re.match(r"http://([^:/]+):(\d+)", base)
        self.host, self.port = m.group(1), int(m.group(2))
        self.log = open(os.path.join(out_dir, "requests.log"), "w", buffering=1)
        self.t0 = time.monotonic()
        self.counts = {}
        self.failures = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.latencies = {}

    def record(self, kind, started, status, ok, detail=""):
        ms = (time.monotonic() - started) * 1000
        c = self.counts.setdefault(kind, {"ok": 0, "failed": 0})
        c["ok" if ok else "failed"] += 1
        self.latencies.setdefault(kind, []).append(ms)
        line = f"{started - self.t0:.3f} {kind} {status} {ms:.0f} {detail}".rstrip()
        self.log.write(line + "\n")
        if not ok:
            stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%H:%M:%S.%f")[:-3]
            self.failures.append(f"{stamp} {line}")

    async def get_page(self, kind, path):
        started = time.monotonic()
        try:
            status, _, body = await asyncio.wait_for(request(self.host, self.port, "GET", path), TIMEOUT)
        except Exception as e:  # connection refused/reset, timeout: a failed request
            self.record(kind, started, "ERR", False, type(e).__name__ + ": " + str(e)[:80])
            return None
        ok = status == 200
        self.record(kind, started, status, ok)
        return body if ok else None

    async def post_date(self, path, reference, day):
        page = await self.get_page("post-page", f"{path}/orders/{reference}")
        if page is None:
            return
        text = page.decode(errors="replace")
        form = NONCE.search(text) or CONFIRM.search(text)
        if not form:
            self.record("post", time.monotonic(), "NOFORM", False, reference)
            return
        action, nonce, version = form.group(1), form.group(2), form.group(3)
        action = re.sub(r"^https?://[^/]+", "", action)  # the page may link with the public base URL
        fields = f"nonce={nonce}" + (f"&version={version}" if version else "")
        if action.endswith("/date"):
            fields += f"&date={day}"
        started = time.monotonic()
        try:
            status, head, _ = await asyncio.wait_for(
                request(self.host, self.port, "POST", action, fields), TIMEOUT)
        except Exception as e:
            self.record("post", started, "ERR", False, type(e).__name__ + ": " + str(e)[:80])
            return
        self.record("post", started, status, status == 303, "" if status == 303 else reference)

    def track(self, coro):
        async def run():
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                await coro
            finally:
                self.in_flight -= 1
        return asyncio.ensure_future(run())


async def main():
    base, vendor_file, tracking_file, posts_file, out_dir = sys.argv[1:6]
    rate_get, rate_post = float(sys.argv[6]), float(sys.argv[7])
    stop_file = sys.argv[8]
    max_seconds = float(sys.argv[9]) if len(sys.argv) > 9 else 900
    vendor = [l.strip() for l in open(vendor_file) if l.strip()]
    tracking = [l.strip() for l in open(tracking_file) if l.strip()]
    posts = [l.split() for l in open(posts_file) if l.strip()]
    load = Load(base, out_dir)
    tasks = []
    # one schedule: the k-th GET at k / rate_get, the k-th post at k / rate_post
    next_get, next_post, gets, sent_posts = 0.0, 0.0, 0, 0
    today = datetime.date.today()
    while True:
        now = time.monotonic() - load.t0
        if os.path.exists(stop_file) or now > max_seconds:
            break
        while next_get <= now:
            if gets % 2 == 0:
                tasks.append(load.track(load.get_page("vendor", vendor[(gets // 2) % len(vendor)])))
            else:
                tasks.append(load.track(load.get_page("tracking", tracking[(gets // 2) % len(tracking)])))
            gets += 1
            next_get = gets / rate_get
        while rate_post > 0 and next_post <= now:
            # each order in turn (a pool large enough that one order's posts never overlap), a new date each time
            path, reference = posts[sent_posts % len(posts)]
            day = today + datetime.timedelta(days=20 + (sent_posts // len(posts)) % 60)
            tasks.append(load.track(load.post_date(path, reference, day.isoformat())))
            sent_posts += 1
            next_post = sent_posts / rate_post
        tasks = [t for t in tasks if not t.done()]
        await asyncio.sleep(0.005)
    if tasks:
        await asyncio.wait(tasks, timeout=TIMEOUT * 3)
    elapsed = time.monotonic() - load.t0

    def pct(values, p):
        if not values:
            return 0
        values = sorted(values)
        return round(values[min(len(values) - 1, int(len(values) * p))])

    summary = {
        "seconds": round(elapsed, 1),
        "counts": load.counts,
        "requests": sum(c["ok"] + c["failed"] for c in load.counts.values()),
        "failed": sum(c["failed"] for c in load.counts.values()),
        "max_in_flight": load.max_in_flight,
        "latency_ms": {k: {"p50": pct(v, 0.5), "p99": pct(v, 0.99), "max": round(max(v))}
                       for k, v in load.latencies.items()},
        "failures": load.failures[:50],
    }
    with open(os.path.join(out_dir, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps({k: summary[k] for k in ("seconds", "requests", "failed", "max_in_flight")}))


if __name__ == "__main__":
    asyncio.run(main())
