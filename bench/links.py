#!/usr/bin/env python3
"""Reads import answers ({created, unchanged, errors, orders:[{reference, status, vendorLink:{url}}]}).

usage: links.py check ANSWER.json            -> prints "created unchanged links" or exits 1
       links.py urls ANSWER.json... > all.txt -> every vendor link URL, one a line
       links.py sample ALL.txt N > tokens.txt     -> N of those URLs, spread evenly over ALL.txt
"""
import json
import sys


def check(path):
    with open(path, encoding="utf-8") as f:
        r = json.load(f)
    links = sum(1 for o in r.get("orders", []) if (o.get("vendorLink") or {}).get("url"))
    if r.get("errors"):
        print("errors in answer: " + json.dumps(r["errors"])[:2000], file=sys.stderr)
        sys.exit(1)
    print(r.get("created"), r.get("unchanged"), links)


def urls(paths):
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for o in json.load(f).get("orders", []):
                url = (o.get("vendorLink") or {}).get("url")
                if url:
                    print(url)


def sample(path, n):
    with open(path, encoding="utf-8") as f:
        all_urls = [line.strip() for line in f if line.strip()]
    if not all_urls:
        sys.exit("no links to sample")
    step = max(1, len(all_urls) // n)
    for url in all_urls[::step][:n]:
        print(url)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "check":
        check(sys.argv[2])
    elif cmd == "urls":
        urls(sys.argv[2:])
    elif cmd == "sample":
        sample(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(__doc__)
