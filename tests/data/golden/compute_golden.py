#!/usr/bin/env python3
"""Independent generator of golden test values for the cxm SDK.

Computes every value from the metric definitions directly, with mpmath at
40 significant digits, and writes ``tests/data/golden.json``.  It uses no
C++ code and nothing from the cxm sources.

Usage (from anywhere):

    python3 tests/data/golden/compute_golden.py          # (re)write golden.json
    python3 tests/data/golden/compute_golden.py --check  # verify golden.json is up to date

Requires Python 3.11+ and mpmath (tested with 1.3.0).  The adjusted p-values of the
"p_adjust" section come from ``p_adjust_golden.py`` beside this file (exact fractions), the
design-weighted estimates of the "weighted" section from ``weighted_golden.py``, the
Student t and Hall intervals of the "scale_mean" section from ``mean_interval_golden.py``
(standard library only).
Output is deterministic: running the script again reproduces the file byte for byte.

Conventions
-----------
* NPS values are in points (x100).  Intervals of the score method are
  computed on the -1..1 scale and multiplied by 100.
* A confidence ``level`` is taken as its decimal value (e.g. 0.95 is exactly
  95/100, not the nearest binary double).
* Two-sided quantiles use p = 1 - (1 - level)/2.
* Floats are rounded to the nearest double and written with ``repr`` (full
  round-trip precision).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import mpmath
from mpmath import mp, mpf

from p_adjust_golden import p_adjust_cases  # beside this file: the "p_adjust" section
from weighted_golden import weighted_cases  # beside this file: the "weighted" section
from mean_interval_golden import scale_mean_cases  # beside this file: the "scale_mean" section

mp.dps = 40

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "golden.json"

NPS_LEVELS = ["0.80", "0.90", "0.95", "0.99"]
DIFF_LEVELS = ["0.90", "0.95"]
SCALE_LEVELS = ["0.90", "0.95", "0.99"]

TOL = mpf("1e-30")


# ---------------------------------------------------------------------------
# helpers


def to_double(x) -> float:
    """Round an mpf to the nearest double (mpf.__float__ truncates)."""
    x = mpf(x)
    if not mpmath.isfinite(x):
        raise ValueError(f"non-finite value {x}")
    return mpmath.libmp.to_float(x._mpf_, rnd="n")


def level_value(level: str) -> float:
    return float(level)


def z_quantile(level: str) -> mpf:
    """Two-sided normal critical value: Phi^{-1}(1 - (1-level)/2)."""
    p = 1 - (1 - mpf(level)) / 2
    return mpmath.sqrt(2) * mpmath.erfinv(2 * p - 1)


def normal_upper_tail(x) -> mpf:
    """1 - Phi(x), via erfc (no cancellation)."""
    return mpmath.erfc(mpf(x) / mpmath.sqrt(2)) / 2


def t_cdf(t, df) -> mpf:
    """Student t CDF via the regularized incomplete beta function."""
    t = mpf(t)
    df = mpf(df)
    x = df / (df + t * t)
    tail = mpmath.betainc(df / 2, mpf(1) / 2, 0, x, regularized=True) / 2
    return 1 - tail if t >= 0 else tail


def t_quantile(level: str, df: int) -> mpf:
    """Two-sided Student t critical value t_{1-(1-level)/2, df}, by bisection."""
    if df < 1:
        raise ValueError("df must be >= 1")
    p = 1 - (1 - mpf(level)) / 2
    lo, hi = mpf(0), mpf(1)
    while t_cdf(hi, df) < p:
        lo, hi = hi, hi * 2
    while hi - lo > TOL * max(1, hi):
        mid = (lo + hi) / 2
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def bisect_sign(positive, lo, hi, lo_is_positive: bool, tol=TOL):
    """Bisection on a sign predicate; evaluates interior points only."""
    lo, hi = mpf(lo), mpf(hi)
    while hi - lo > tol:
        mid = (lo + hi) / 2
        if positive(mid) == lo_is_positive:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


# ---------------------------------------------------------------------------
# NPS


def spread(k: int, answers: list[int]) -> dict[int, int]:
    """Spread k answers evenly over ``answers``; the remainder goes to the
    highest answers (one extra each, from the top down)."""
    m = len(answers)
    base, extra = divmod(k, m)
    out = {a: base for a in answers}
    for a in sorted(answers, reverse=True)[:extra]:
        out[a] += 1
    return out


def nps_counts(P: int, A: int, D: int) -> list[int]:
    c = {}
    c.update(spread(D, list(range(0, 7))))
    c.update(spread(A, [7, 8]))
    c.update(spread(P, [9, 10]))
    arr = [c[i] for i in range(11)]
    assert sum(arr[9:]) == P and sum(arr[7:9]) == A and sum(arr[:7]) == D
    return arr


def wald(P, A, D):
    n = mpf(P + A + D)
    pP, pD = P / n, D / n
    score = mpf(100 * (P - D)) / n
    var = (pP + pD - (pP - pD) ** 2) / n
    return score, 100 * mpmath.sqrt(var)


def adjusted_wald(P, A, D):
    n = mpf(P + A + D) + 3
    pP, pD = (P + mpf("0.75")) / n, (D + mpf("0.75")) / n
    est = mpf(100 * (P - D)) / n  # the 0.75's cancel
    var = (pP + pD - (pP - pD) ** 2) / n
    return est, 100 * mpmath.sqrt(var)


def clamp100(x):
    return min(max(x, mpf(-100)), mpf(100))


def tango_T(P, A, D, d):
    """Tango score statistic T(d) with b = D, c = P (scale -1..1)."""
    n = mpf(P + A + D)
    b, c = mpf(D), mpf(P)
    d = mpf(d)
    a2 = 2 * n
    B = -b - c + (2 * n - c + b) * d
    C = -b * d * (1 - d)
    q = (mpmath.sqrt(B * B - 4 * a2 * C) - B) / (2 * a2)
    return (c - b - n * d) / mpmath.sqrt(n * (2 * q + d * (1 - d)))


def check_single_crossing(P, A, D, lo, hi, target):
    """Sample T on a grid inside (lo, hi) and assert T - target changes sign
    at most once (guards the bisection's uniqueness assumption)."""
    k = 400
    signs = []
    for i in range(1, k):
        d = lo + (hi - lo) * i / k
        signs.append(tango_T(P, A, D, d) > target)
    changes = sum(1 for s, t in zip(signs, signs[1:]) if s != t)
    assert changes <= 1, (P, A, D, lo, hi, target, changes)


def score_interval(P, A, D, z):
    """Exact roots of Tango's score statistic; returns (lower, upper) on -1..1."""
    n = P + A + D
    est = mpf(P - D) / n
    if P == n:
        upper = mpf(1)
    else:
        check_single_crossing(P, A, D, est, mpf(1), -z)
        # T(est) = 0 > -z, T -> -inf as d -> 1.
        upper = bisect_sign(lambda d: tango_T(P, A, D, d) + z > 0, est, 1, True)
    if D == n:
        lower = mpf(-1)
    else:
        check_single_crossing(P, A, D, mpf(-1), est, z)
        # T -> +inf as d -> -1, T(est) = 0 < z.
        lower = bisect_sign(lambda d: tango_T(P, A, D, d) - z > 0, -1, est, True)
    # refine/verify with mpmath's bracketing solver where the root is interior
    for root, target in ((upper, -z), (lower, z)):
        if abs(root) < 1:
            r = mpmath.findroot(lambda d: tango_T(P, A, D, d) - target,
                                (root - mpf("1e-25"), root + mpf("1e-25")),
                                solver="anderson")
            assert abs(r - root) < mpf("1e-28"), (P, A, D, root, r)
    return lower, upper


def r_iterative(P, A, D, z, return_candidate=False):
    """Fixed-iteration step-halving search (the R package NPS 'iterative'
    algorithm as described in the brief), float precision. Sanity check only.

    Returns the last accepted point.  When the |z - |T|| stop fires on a
    rejected candidate, that point can still be one step dp (up to ~2e-5)
    from the root; ``return_candidate=True`` returns the candidate instead."""
    n = P + A + D
    nps = (P - D) / n
    z = float(z)

    def T(d):
        return float(tango_T(P, A, D, mpf(d)))

    def search(direction):
        d = nps
        dp = (1 - nps) if direction > 0 else (1 + nps)
        for _ in range(50):
            dp /= 2
            cand = d + direction * dp
            t = T(cand)
            if abs(t) < z:
                d = cand
            if abs(z - abs(t)) < 1e-6:
                return cand if return_candidate else d
            if dp < 1e-7:
                break
        return d

    upper = 1.0 if P == n else search(+1)
    lower = -1.0 if D == n else search(-1)
    return lower, upper


NPS_CASES = [
    ("half promoters", 50, 30, 20),
    ("small sample", 5, 3, 2),
    ("all promoters", 25, 0, 0),
    ("all detractors", 0, 0, 25),
    ("all passives", 0, 40, 0),
    ("large negative", 120, 300, 580),
    ("one respondent", 1, 0, 0),
    ("lopsided", 97, 2, 1),
]

GENERIC_NPS_SOURCE = (
    "compute_golden.py with mpmath at 40 digits: score = 100*(P-D)/n; Wald and "
    "adjusted Wald (P+0.75, D+0.75, A+1.5, n+3), both clamped to [-100,100], from "
    "closed forms with z = sqrt(2)*erfinv(2p-1); score method (Tango) limits "
    "are exact roots of T(d) = -z (upper) / +z (lower) found by bisection to "
    "1e-30 and confirmed with mpmath.findroot(solver='anderson'); counts are "
    "spread detractors over 0-6, passives over 7-8, promoters over 9-10 "
    "(remainder to the highest answers)."
)


def nps_case(name, P, A, D, sanity):
    n = P + A + D
    score, se = wald(P, A, D)
    adj, adj_se = adjusted_wald(P, A, D)
    intervals = []
    for method in ("wald", "adjusted_wald", "score"):
        for level in NPS_LEVELS:
            z = z_quantile(level)
            if method == "wald":
                lo, hi = clamp100(score - z * se), clamp100(score + z * se)
            elif method == "adjusted_wald":
                lo, hi = clamp100(adj - z * adj_se), clamp100(adj + z * adj_se)
            else:
                l1, u1 = score_interval(P, A, D, z)
                rl, ru = r_iterative(P, A, D, z)
                cl, cu = r_iterative(P, A, D, z, return_candidate=True)
                sanity.append((name, level,
                               max(abs(rl - float(l1)), abs(ru - float(u1))),
                               max(abs(cl - float(l1)), abs(cu - float(u1)))))
                lo, hi = 100 * l1, 100 * u1
            assert lo <= hi
            intervals.append({"method": method, "level": level_value(level),
                              "lower": to_double(lo), "upper": to_double(hi)})

    source = GENERIC_NPS_SOURCE
    if name == "half promoters":
        # hand derivation, checked against the mpmath values
        assert score == 30
        assert abs(se - 100 * mpmath.sqrt(mpf("0.0061"))) < mpf("1e-35")
        source += (
            " Hand check: score = 100*(50-20)/100 = 30; pP = 0.5, pD = 0.2, "
            "var = (0.5 + 0.2 - 0.3^2)/100 = 0.61/100 = 0.0061, Wald se = "
            "100*sqrt(0.0061) = %s; 95%% Wald interval = 30 -/+ 1.959963984540054*se."
            % mpmath.nstr(se, 16)
        )
    if P == n:
        source += (
            " With P = n the score-method lower limit has the closed form "
            "(n - z^2)/(n + z^2) (x100); verified."
        )
        for level in NPS_LEVELS:
            z = z_quantile(level)
            l1, _ = score_interval(P, A, D, z)
            assert abs(l1 - (n - z * z) / (n + z * z)) < mpf("1e-28")
    if D == n:
        source += " With D = n the score-method upper limit is -(n - z^2)/(n + z^2) (x100); verified."
        for level in NPS_LEVELS:
            z = z_quantile(level)
            _, u1 = score_interval(P, A, D, z)
            assert abs(u1 + (n - z * z) / (n + z * z)) < mpf("1e-28")

    return {
        "name": name,
        "source": source,
        "counts": nps_counts(P, A, D),
        "promoters": P,
        "passives": A,
        "detractors": D,
        "n": n,
        "score": to_double(score),
        "wald_se": to_double(se),
        "adjusted_score": to_double(adj),
        "adjusted_se": to_double(adj_se),
        "intervals": intervals,
    }


# ---------------------------------------------------------------------------
# NPS difference

DIFF_CASES = [
    ("half vs forty", (50, 30, 20), (40, 30, 30)),
    ("large negative vs large", (120, 300, 580), (150, 280, 570)),
    ("small vs half", (5, 3, 2), (50, 30, 20)),
    ("b greater than a", (35, 45, 70), (90, 60, 50)),
]


def comparison_adjusted_wald(P, A, D):
    """Per-group estimate for the adjusted-Wald difference: two pseudo-answers
    per group (Agresti & Caffo 2000 add one success and one failure to each
    group), split 1:2:1 -- P+1/2, A+1, D+1/2, n+2."""
    m = mpf(P + A + D) + 2
    pP, pD = (P + mpf(1) / 2) / m, (D + mpf(1) / 2) / m
    est = 100 * (pP - pD)
    return est, 100 * mpmath.sqrt((pP + pD - (pP - pD) ** 2) / m)


def diff_case(name, a, b, method, level):
    z = z_quantile(level)
    f = wald if method == "wald" else comparison_adjusted_wald
    sa, sea = f(*a)
    sb, seb = f(*b)
    diff = sa - sb
    se = mpmath.sqrt(sea ** 2 + seb ** 2)
    p = 2 * normal_upper_tail(abs(diff) / se)
    what = ("plain scores and Wald se's" if method == "wald"
            else "adjusted estimates and se's with P+0.5, A+1, D+0.5, n+2 per group "
                 "(Agresti-Caffo style)")
    return {
        "name": name,
        "source": (
            "compute_golden.py with mpmath at 40 digits: difference of %s, a minus b; "
            "se = sqrt(se_a^2 + se_b^2); interval difference -/+ z*se (not clamped); "
            "p_value = 2*(1 - Phi(|difference|/se)) with Phi from mpmath.erfc. "
            "a = (P=%d, A=%d, D=%d), b = (P=%d, A=%d, D=%d)." % ((what,) + a + b)
        ),
        "a": nps_counts(*a),
        "b": nps_counts(*b),
        "method": method,
        "level": level_value(level),
        "difference": to_double(diff),
        "se": to_double(se),
        "lower": to_double(diff - z * se),
        "upper": to_double(diff + z * se),
        "p_value": to_double(p),
    }


# ---------------------------------------------------------------------------
# scale tallies (CES / CSAT)

SCALE_CASES = [
    ("CES 1-7", 1, 7, 5, [3, 5, 8, 12, 20, 30, 22]),
    ("CES 1-5 legacy", 1, 5, 4, [2, 4, 10, 30, 54]),
    ("CSAT 1-5", 1, 5, 4, [1, 1, 3, 10, 15]),
    ("CSAT two answers", 1, 5, 4, [0, 0, 0, 1, 1]),
    ("CSAT one answer", 1, 5, 4, [0, 0, 0, 0, 1]),
]


def scale_case(name, lo, hi, top_min, counts):
    assert len(counts) == hi - lo + 1
    points = list(range(lo, hi + 1))
    n = sum(counts)
    mean = mpf(sum(k * v for k, v in zip(counts, points))) / n
    if n >= 2:
        ss = sum(k * (v - mean) ** 2 for k, v in zip(counts, points))
        sd = mpmath.sqrt(ss / (n - 1))
    else:
        sd = None
    top = mpf(sum(k for k, v in zip(counts, points) if v >= top_min)) / n

    mean_intervals = []
    if sd is not None:
        for level in SCALE_LEVELS:
            t = t_quantile(level, n - 1)
            half = t * sd / mpmath.sqrt(n)
            mean_intervals.append({"level": level_value(level),
                                   "lower": to_double(max(mean - half, mpf(lo))),
                                   "upper": to_double(min(mean + half, mpf(hi)))})
    top_intervals = []
    for level in SCALE_LEVELS:
        z = z_quantile(level)
        z2 = z * z
        centre = (top + z2 / (2 * n)) / (1 + z2 / n)
        half = z / (1 + z2 / n) * mpmath.sqrt(top * (1 - top) / n + z2 / (4 * n * n))
        top_intervals.append({"level": level_value(level),
                              "lower": to_double(centre - half),
                              "upper": to_double(centre + half)})

    source = (
        "compute_golden.py with mpmath at 40 digits: mean; sd with divisor n-1; "
        "mean interval mean -/+ t*sd/sqrt(n), clamped to [min, max] of the scale, with t the Student t quantile at "
        "1-(1-level)/2, df n-1 (t CDF via mpmath.betainc, inverted by bisection "
        "to 1e-30); top box = share of answers >= top_box_min with Wilson score "
        "interval."
    )
    if sd is None:
        source += " n = 1: sd undefined (null) and no mean interval (df = 0)."
    return {
        "name": name,
        "source": source,
        "scale": {"min": lo, "max": hi, "top_box_min": top_min},
        "counts": list(counts),
        "n": n,
        "mean": to_double(mean),
        "sd": None if sd is None else to_double(sd),
        "top_box": to_double(top),
        "mean_intervals": mean_intervals,
        "top_box_intervals": top_intervals,
    }


# ---------------------------------------------------------------------------


def self_checks():
    # normal quantile against well-known values
    assert abs(z_quantile("0.95") - mpf("1.959963984540054235524594430")) < mpf("1e-25")
    assert abs(z_quantile("0.90") - mpf("1.644853626951472714863848907")) < mpf("1e-25")
    # Student t: df = 1 is Cauchy, df = 2 has a closed form
    for level in SCALE_LEVELS:
        p = 1 - (1 - mpf(level)) / 2
        assert abs(t_quantile(level, 1) - mpmath.tan(mpmath.pi * (p - mpf("0.5")))) < mpf("1e-25")
        a = 4 * p * (1 - p)
        assert abs(t_quantile(level, 2) - 2 * (p - mpf("0.5")) * mpmath.sqrt(2 / a)) < mpf("1e-25")
    assert abs(t_quantile("0.95", 29) - mpf("2.045229642132703")) < mpf("1e-14")


def build():
    self_checks()
    sanity = []
    nps = [nps_case(name, P, A, D, sanity) for name, P, A, D in NPS_CASES]
    diffs = [diff_case(name, a, b, method, level)
             for name, a, b in DIFF_CASES
             for method in ("wald", "adjusted_wald")
             for level in DIFF_LEVELS]
    scale = [scale_case(*c) for c in SCALE_CASES]
    doc = {
        "about": (
            "Golden test values for the cxm SDK (NPS with Wald, adjusted Wald and "
            "Tango score intervals; differences of two NPS; CES/CSAT scale tallies). "
            "Generated by tests/data/golden/compute_golden.py, independently of the "
            "C++ code, with mpmath %s at mp.dps = 40; every value is rounded to the "
            "nearest double. NPS values are in points (x100). Levels are taken as "
            "their decimal values; two-sided quantiles at 1-(1-level)/2. Regenerate "
            "with: python3 tests/data/golden/compute_golden.py" % mpmath.__version__
        ),
        "nps": nps,
        "nps_difference": diffs,
        "scale": scale,
        "p_adjust": p_adjust_cases(),
        "weighted": weighted_cases(),
        "scale_mean": scale_mean_cases(),
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return text, sanity


def main(argv):
    text, sanity = build()
    doc = json.loads(text)
    print("sanity check: R-style fixed-iteration score interval vs exact roots")
    w = max(sanity, key=lambda s: s[2])
    print("  largest |difference| on the -1..1 scale: %.3e (case %r, level %s)"
          % (w[2], w[0], w[1]))
    w = max(sanity, key=lambda s: s[3])
    print("  same, returning the converged candidate:  %.3e (case %r, level %s)"
          % (w[3], w[0], w[1]))
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else None
        if current != text:
            print("%s is out of date" % OUT)
            return 1
        print("%s is up to date" % OUT)
        return 0
    OUT.write_text(text, encoding="utf-8")
    print("wrote %s (%d nps, %d nps_difference, %d scale, %d p_adjust, %d weighted cases)"
          % (OUT, len(doc["nps"]), len(doc["nps_difference"]), len(doc["scale"]),
             len(doc["p_adjust"]), len(doc["weighted"]["nps"]) + len(doc["weighted"]["scale"])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
