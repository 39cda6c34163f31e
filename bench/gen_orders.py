#!/usr/bin/env python3
"""Writes a purchase-order CSV for POST /api/v1/purchase-orders/import: one row per order line.

usage: gen_orders.py OUT.csv --orders 25000 --lines 4 --vendors 500 --prefix B1 [--seed 1]
Deterministic for a given seed; references are PREFIX-000001... so files with different prefixes never collide.
"""
import argparse
import datetime
import random

HEADER = ("reference,vendor_name,vendor_email,vendor_phone,delivery_address,requested_date,"
          "sku,description,quantity,unit,unit_price,currency")
UNITS = ["pcs", "kg", "m", "l", "box"]
WORDS = ["steel", "bolt", "hex", "washer", "flange", "bracket", "cable", "valve", "gasket", "pipe",
         "copper", "nylon", "bearing", "seal", "hinge", "panel", "fitting", "clamp", "spring", "rivet"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--orders", type=int, default=25000)
    p.add_argument("--lines", type=int, default=4)
    p.add_argument("--vendors", type=int, default=500)
    p.add_argument("--prefix", default="B1")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    rnd = random.Random(a.seed)
    start = datetime.date(2026, 1, 5)
    rows = 0
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        f.write(HEADER + "\n")
        for o in range(1, a.orders + 1):
            v = (o * 7919) % a.vendors + 1  # spreads orders over all vendors
            ref = f"{a.prefix}-{o:06d}"
            vendor = f"Vendor {v:04d} Ltd"
            email = f"orders{v:04d}@vendor{v:04d}.example"
            phone = f"+44 20 7946 {v:04d}"
            address = f"\"Unit {o % 90 + 1}, Harbour Road, Bristol BS1 {o % 9 + 1}AA\""
            date = (start + datetime.timedelta(days=o % 120)).isoformat()
            for n in range(1, a.lines + 1):
                sku = f"SKU-{rnd.randrange(100000):05d}"
                desc = " ".join(rnd.choice(WORDS) for _ in range(4)) + f" {n}"
                qty = rnd.randrange(1, 500)
                unit = rnd.choice(UNITS)
                price = f"{rnd.randrange(100, 100000) / 100:.2f}"
                f.write(f"{ref},{vendor},{email},{phone},{address},{date},{sku},{desc},{qty},{unit},{price},EUR\n")
                rows += 1
    print(rows)


if __name__ == "__main__":
    main()
