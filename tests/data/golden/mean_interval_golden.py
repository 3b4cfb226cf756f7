"""Golden values of the scale-mean intervals (the "scale_mean" section of golden.json).

Standard library only, written independently of the C++ code (sdk/src/stats/mean_interval.cpp):

- moments in exact fractions (mean, s with divisor n - 1, skewness m3 / m2^(3/2) with divisor n);
- the Student t quantile by bisection on the t CDF, itself the regularized incomplete beta
  I_x(df/2, 1/2) evaluated by its continued fraction (modified Lentz), checked against t-table
  values;
- Hall's (1992) interval by bisection on the transformation g(T) = T + a T^2 + a^2 T^3 / 3 + b
  (a = skew / (3 sqrt n), b = skew / (6 sqrt n)), not by its closed-form inverse as the C++ does;
- all answers equal: value -/+ the distance to the scale's end times 1 - ((1 - level)/2)^(1/n).

Imported by compute_golden.py; run alone it prints the cases.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction

from student_t import self_checks, t_quantile  # noqa: F401 (t_cdf via t_quantile)

LEVELS = [0.90, 0.95, 0.99]

# (name, min, max, counts from min up)
CASES = [
    ("CES 1-7 moderate", 1, 7, [3, 5, 8, 12, 20, 30, 22]),
    ("CES 1-7 mostly easy 1/1/2/4/12/30/50 %", 1, 7, [1, 1, 2, 4, 12, 30, 50]),
    ("CES 1-7 near-degenerate n = 30", 1, 7, [0, 0, 0, 0, 1, 3, 26]),
    ("CES 1-7 mostly hard n = 30", 1, 7, [20, 6, 2, 1, 0, 0, 1]),
    ("CES 1-7 bimodal n = 30", 1, 7, [6, 1, 1, 1, 1, 3, 17]),
    ("CES 1-7 twenty-nine 7s and a 1", 1, 7, [1, 0, 0, 0, 0, 0, 29]),
    ("CES 1-7 thirty 7s", 1, 7, [0, 0, 0, 0, 0, 0, 30]),
    ("CSAT 1-5", 1, 5, [1, 1, 3, 10, 15]),
    ("CSAT 1-5 two answers", 1, 5, [0, 0, 0, 1, 1]),
    ("CSAT 1-5 five 3s", 1, 5, [0, 0, 5, 0, 0]),
]


def moments(lo, counts):
    n = sum(counts)
    mean = Fraction(sum(k * (lo + i) for i, k in enumerate(counts)), n)
    m2 = sum(k * (lo + i - mean) ** 2 for i, k in enumerate(counts))
    m3 = sum(k * (lo + i - mean) ** 3 for i, k in enumerate(counts))
    sd = math.sqrt(m2 / (n - 1))
    skew = 0.0 if m2 == 0 else float(m3 / n) / float(m2 / n) ** 1.5
    return n, mean, m2, sd, skew


def solve_increasing(f, target):
    """x with f(x) = target for an increasing f, by bisection to the spacing of doubles."""
    lo, hi = -1.0, 1.0
    while f(lo) > target:
        lo *= 2.0
    while f(hi) < target:
        hi *= 2.0
    while True:
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            return mid
        if f(mid) < target:
            lo = mid
        else:
            hi = mid


def intervals(lo, hi, counts):
    n, mean, m2, sd, skew = moments(lo, counts)
    out = []
    for level in LEVELS:
        t = t_quantile(1 - (1 - level) / 2, n - 1)
        se = sd / math.sqrt(n)
        m = float(mean)
        out.append({"method": "student_t", "level": level,
                    "lower": max(lo, m - t * se), "upper": min(hi, m + t * se)})
        if m2 == 0:
            q = 1 - ((1 - level) / 2) ** (1 / n)
            lower, upper = m - (m - lo) * q, m + (hi - m) * q
        else:
            a = skew / (3 * math.sqrt(n))
            b = skew / (6 * math.sqrt(n))
            g = lambda x: x + a * x * x + a * a * x ** 3 / 3 + b  # noqa: E731
            lower = max(lo, m - se * solve_increasing(g, t))
            upper = min(hi, m - se * solve_increasing(g, -t))
        out.append({"method": "hall_t", "level": level, "lower": lower, "upper": upper})
    return {"n": n, "mean": float(mean), "sd": sd, "skewness": skew, "intervals": out}


def scale_mean_cases():
    self_checks()
    cases = []
    for name, lo, hi, counts in CASES:
        c = {"name": name, "scale": {"min": lo, "max": hi}, "counts": counts}
        c.update(intervals(lo, hi, counts))
        cases.append(c)
    return cases


if __name__ == "__main__":
    print(json.dumps(scale_mean_cases(), indent=2))
