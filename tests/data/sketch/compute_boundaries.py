#!/usr/bin/env python3
"""Independent generator of exponential-histogram bucket boundaries for the cxm sketch tests.

For scale s and 0 < k < 2**s the boundary 2**(k / 2**s) inside the octave [1, 2) is
irrational, so no double equals it. This script writes, for each boundary, the 52-bit
fraction f of the smallest double 1.f above it: f = ceil((2**(k/2**s) - 1) * 2**52),
computed with mpmath at 60 significant digits (it stops if a boundary comes within 1e-25 of
a double, which would make 60 digits insufficient). It uses no C++ code and nothing from the
cxm sources; tests/unit/log_mapping_test.cpp checks that the double just below each
boundary maps to bucket k - 1 and 1.f to bucket k.

Usage:  python3 tests/data/sketch/compute_boundaries.py [--check]

Output (boundaries.txt): one line per boundary, "scale k f" with f in hexadecimal; every
boundary of scales 1..10, and of scale 20 every 509th k (a deterministic sample of 2060).
Requires Python 3.11+ and mpmath (tested with 1.3.0).
"""

from __future__ import annotations

import sys
from pathlib import Path

from mpmath import mp, mpf, ceil, floor

mp.dps = 60
OUT = Path(__file__).resolve().parent / "boundaries.txt"


def fraction_above(scale: int, k: int) -> int:
    scaled = (mpf(2) ** (mpf(k) / 2**scale) - 1) * mpf(2) ** 52
    nearest = floor(scaled + mpf("0.5"))
    if abs(scaled - nearest) < mpf("1e-25"):
        raise SystemExit(f"boundary {k} at scale {scale} is too close to a double")
    return int(ceil(scaled))


def main() -> None:
    lines = ["# scale k fraction: 1.fraction (52-bit hex) is the smallest double above 2^(k/2^scale)"]
    for scale in range(1, 11):
        for k in range(1, 2**scale):
            lines.append(f"{scale} {k} {fraction_above(scale, k):013x}")
    for k in range(1, 2**20, 509):
        lines.append(f"20 {k} {fraction_above(20, k):013x}")
    text = "\n".join(lines) + "\n"
    if "--check" in sys.argv[1:]:
        if OUT.read_text() != text:
            raise SystemExit(f"{OUT} is out of date")
        print(f"{OUT} is up to date")
        return
    OUT.write_text(text)
    print(f"wrote {OUT} ({len(lines) - 1} boundaries)")


if __name__ == "__main__":
    main()
