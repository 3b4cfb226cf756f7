"""Golden group-vs-rest comparisons of a report: ``tests/data/report_golden.json``.

A small fixed set of responses (NPS 0-10 and CES 1-7, broken down by channel) and, for every
channel, its comparison with the rest of the breakdown (the other channels together; responses
without a channel are in no group and in no rest), computed here from the definitions and
independently of the C++ code, with the Python standard library only:

* NPS: the adjusted-Wald difference of two independent samples, with 1/2 promoter, 1 passive
  and 1/2 detractor added to each sample (two pseudo-answers per sample, as Agresti & Caffo
  (2000, Am. Stat. 54:280-288) add one success and one failure per group), standard error
  sqrt(se_a^2 + se_b^2) from the trinomial variance, interval difference -/+ z*se, p-value
  2*(1 - Phi(|difference|/se)) (math.erfc; z from statistics.NormalDist).
* CES: Welch's t (Welch 1947, Biometrika 34:28-35): difference of the means, variances with
  divisor n - 1 (exact fractions), Welch-Satterthwaite degrees of freedom, two-sided p-value
  P(|T_df| >= |t|) = I_{df/(df+t^2)}(df/2, 1/2) with the regularized incomplete beta function
  evaluated by its continued fraction (modified Lentz; Numerical Recipes, 3rd ed., 6.4), and
  the interval difference -/+ t_df*se with the t quantile found by bisection on that tail.
* Adjusted p-values of one question's comparisons within the breakdown, Benjamini-Hochberg
  and Holm, in exact fractions (``p_adjust_golden.py``), and the flags: "higher"/"lower" when
  the adjusted p-value is below 1 - level, else null.

Run ``python3 tests/data/golden/report_golden.py`` to write the file, ``--check`` to compare.
When mpmath happens to be installed, --check also compares the incomplete beta with
mpmath.betainc (not needed to generate).
"""

from __future__ import annotations

import json
import math
import os
import sys
from fractions import Fraction
from statistics import NormalDist

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from p_adjust_golden import benjamini_hochberg, holm  # noqa: E402
import student_t  # noqa: E402
from student_t import t_two_sided_p  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "report_golden.json")
LEVEL = 0.95

# Per channel: NPS answer counts 0..10 and CES answer counts 1..7. A response takes the i-th
# NPS answer and the i-th CES answer of its channel (CES skipped when the CES list is shorter).
GROUPS = {
    "app": ([1, 0, 1, 1, 2, 3, 4, 8, 10, 12, 12], [1, 2, 3, 6, 10, 14, 14]),
    "web": ([2, 1, 2, 3, 4, 6, 6, 10, 12, 10, 8], [2, 4, 6, 10, 12, 10, 8]),
    "phone": ([3, 3, 3, 4, 4, 5, 6, 8, 8, 8, 6], [4, 5, 8, 10, 8, 8, 6]),
    "branch": ([0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1, 1]),
}
# With these counts phone's NPS is flagged "lower" by BH (adjusted 0.047) but not by Holm
# (0.070), and its raw p-value (0.023) alone would flag it under either: the flags follow the
# adjusted values.
# Responses with no channel: in the totals, in no group and in no rest.
NO_CHANNEL = ([0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 5], [0, 0, 0, 0, 0, 0, 5])


def expand(counts, low):
    return [low + i for i, c in enumerate(counts) for _ in range(c)]


def responses():
    lines = []
    k = 0
    for channel, (nps, ces) in list(GROUPS.items()) + [(None, NO_CHANNEL)]:
        nps_answers, ces_answers = expand(nps, 0), expand(ces, 1)
        for i, a in enumerate(nps_answers):
            k += 1
            answers = {"nps": a}
            if i < len(ces_answers):
                answers["ces"] = ces_answers[i]
            rec = {"id": "g%03d" % k, "survey_id": "golden"}
            if channel is not None:
                rec["channel"] = channel
            rec["answers"] = answers
            lines.append(json.dumps(rec, separators=(",", ":")))
    return lines


def ces_counts(channel):
    nps, ces = GROUPS[channel]
    n = min(sum(nps), sum(ces))  # a CES answer needs a response to carry it
    return expand(ces, 1)[:n]


def nps_triple(answers):
    P = sum(1 for a in answers if a >= 9)
    D = sum(1 for a in answers if a <= 6)
    return P, len(answers) - P - D, D


def nps_compare(a, b):
    def est(P, A, D):
        m = Fraction(P + A + D + 2)
        pP, pD = (P + Fraction(1, 2)) / m, (D + Fraction(1, 2)) / m
        return 100 * (pP - pD), (pP + pD - (pP - pD) ** 2) / m

    ea, va = est(*a)
    eb, vb = est(*b)
    diff = float(ea - eb)
    se = 100 * math.sqrt(float(va + vb))
    z = NormalDist().inv_cdf(1 - (1 - LEVEL) / 2)
    p = math.erfc(abs(diff) / se / math.sqrt(2))
    return {"difference": diff, "lower": diff - z * se, "upper": diff + z * se, "p_value": min(1.0, p)}


def t_quantile(level, df):
    """t with P(|T| >= t) = 1 - level."""
    return student_t.t_quantile((1 + level) / 2, df)


def moments(xs):
    n = len(xs)
    mean = Fraction(sum(xs), n)
    var = sum((Fraction(x) - mean) ** 2 for x in xs) / (n - 1)
    return n, mean, var


def welch(a, b):
    na, ma, sa2 = moments(a)
    nb, mb, sb2 = moments(b)
    va, vb = sa2 / na, sb2 / nb
    diff = float(ma - mb)
    se = math.sqrt(float(va + vb))
    df = float((va + vb) ** 2 / (va ** 2 / (na - 1) + vb ** 2 / (nb - 1)))
    t = diff / se
    q = t_quantile(LEVEL, df)
    return {"difference": diff, "lower": diff - q * se, "upper": diff + q * se, "p_value": t_two_sided_p(t, df),
            "df": df}


def flag(diff, p_adj):
    # Keep the data away from the threshold, so rounding cannot move a flag.
    assert abs(p_adj - Fraction(1, 20)) > Fraction(1, 1000), p_adj
    if p_adj < Fraction(1, 20):
        return "higher" if diff > 0 else "lower"
    return None


def compute():
    channels = list(GROUPS)
    nps = {c: expand(GROUPS[c][0], 0) for c in channels}
    ces = {c: ces_counts(c) for c in channels}
    out = {"nps": [], "ces": []}
    for c in channels:
        rest_nps = [a for o in channels if o != c for a in nps[o]]
        rest_ces = [a for o in channels if o != c for a in ces[o]]
        r = nps_compare(nps_triple(nps[c]), nps_triple(rest_nps))
        r.update(group=c, n=len(nps[c]), rest_n=len(rest_nps))
        out["nps"].append(r)
        w = welch(ces[c], rest_ces)
        w.update(group=c, n=len(ces[c]), rest_n=len(rest_ces))
        out["ces"].append(w)
    for q in ("nps", "ces"):
        p = [Fraction(r["p_value"]) for r in out[q]]
        for method, f in (("BH", benjamini_hochberg), ("holm", holm)):
            adj = f(p)
            for r, a in zip(out[q], adj):
                r["p_adjusted_" + method] = float(a)
                r["flag_" + method] = flag(r["difference"], a)
    return {
        "source": "tests/data/golden/report_golden.py: group vs rest of breakdown channel, level 0.95; "
                  "NPS adjusted-Wald difference (P+1/2, A+1, D+1/2, n+2 per sample), CES Welch's t with "
                  "an independent regularized incomplete beta; BH and Holm adjusted in exact fractions",
        "level": LEVEL,
        "responses": responses(),
        "groups": out,
    }


def check_with_mpmath():
    try:
        import mpmath
    except ImportError:
        return
    mpmath.mp.dps = 40
    for a, b, x in ((5.5, 0.5, 0.3), (40.2, 0.5, 0.97), (2.0, 0.5, 0.5), (120.7, 0.5, 0.999)):
        ours = student_t.betainc(a, b, x)
        ref = float(mpmath.betainc(a, b, 0, x, regularized=True))
        assert abs(ours - ref) <= 1e-12 * max(ref, 1e-300), (a, b, x, ours, ref)


def main():
    doc = compute()
    text = json.dumps(doc, indent=1, sort_keys=True) + "\n"
    if "--check" in sys.argv:
        check_with_mpmath()
        with open(OUT) as f:
            if f.read() != text:
                sys.exit("report_golden.json differs from what report_golden.py computes")
        print("report_golden.json is up to date")
        return
    with open(OUT, "w") as f:
        f.write(text)
    print("wrote %s (%d groups, %d responses)" % (OUT, len(doc["groups"]["nps"]), len(doc["responses"])))


if __name__ == "__main__":
    main()
