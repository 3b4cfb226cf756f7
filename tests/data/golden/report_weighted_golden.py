"""Golden design-weighted report: ``tests/data/report_weighted_golden.json``.

A small fixed set of responses (NPS 0-10 and CES 1-7, broken down by channel, over two UTC days)
with varied inclusion probabilities pi (0.1, 0.2, 0.25, 0.5, 1 and absent, which counts as
pi = 1), and what ``cxm report --weighted --by channel --by day`` must print for them, computed
here from the definitions with the Python standard library only, independently of the C++ code:

* Every sum runs over the records one by one in exact rational arithmetic
  (``fractions.Fraction``: pi is the double the C++ reader reads, converted exactly; w = 1/pi
  exactly). Hajek estimates R = sum w y / sum w (NPS: y = +100, 0, -100; CES mean: y = the
  answer; top box: y = 1 for an answer >= 5), with-replacement linearization variance
  v = n/(n-1) * sum (w (y - R))^2 / (sum w)^2, Kish n_eff = (sum w)^2 / sum w^2.
* Intervals: NPS Wald R -/+ z sqrt(v) clamped to [-100, 100]; CES mean R -/+ t(n_eff - 1) sqrt(v)
  clamped to [1, 7]; top box Wilson with n* = p(1-p)/v (n_eff when p is 0 or 1).
* Comparisons (group vs the rest of its breakdown, day vs previous day) of two independent
  samples: difference R_a - R_b, SE = sqrt(v_a + v_b); NPS normal (z, p = erfc(|d|/se/sqrt 2));
  CES Student t with df = (v_a + v_b)^2 / (v_a^2/(n_eff_a - 1) + v_b^2/(n_eff_b - 1)), the tail
  from the regularized incomplete beta of ``report_golden.py``.
* Group-vs-rest p-values of one question adjusted together by Benjamini-Hochberg in exact
  fractions (``p_adjust_golden.py``); "higher"/"lower" when the adjusted p-value < 0.05.

Floats come from exact fractions through one rounding, square roots and quantiles through
``math``/``statistics`` (about 1e-15 relative) and the incomplete beta (about 1e-14).

Run ``python3 tests/data/golden/report_weighted_golden.py`` to write the file, ``--check`` to
compare.
"""

from __future__ import annotations

import json
import math
import os
import sys
from fractions import Fraction
from statistics import NormalDist

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from p_adjust_golden import benjamini_hochberg  # noqa: E402
from report_golden import t_quantile, t_two_sided_p  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "report_weighted_golden.json")
# The same responses as JSON Lines, for the CLI test (cli_report_weighted).
OUT_JSONL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "report_weighted.jsonl")
LEVEL = 0.95
Z = NormalDist().inv_cdf(1 - (1 - LEVEL) / 2)
MIN_N = 30
TOP_BOX = 5
DAYS = ["2026-10-05", "2026-10-06"]

# Per channel: cycles of NPS answers, CES answers (None: skipped) and pi (None: absent), and the
# number of responses; response i takes element i mod len of each cycle and the day i mod 3 != 0.
CHANNELS = {
    "app": ([10, 9, 9, 8, 10, 7, 6, 10, 9, 3], [7, 6, 5, None, 7, 4, 6, 2, 7, 5, 6],
            ["0.5", "0.25", "1", "0.1"], 40),
    "web": ([9, 8, 7, 6, 10, 5, 9, 8, 4, 10], [5, 4, 6, 3, 7, None, 5, 4], ["0.2", "0.5", None, "0.25", "1"], 40),
    "phone": ([3, 6, 7, 2, 9, 5, 0, 8, 6, 10, 1, 4], [2, 3, 5, 1, 4, 6, None, 3, 2],
              ["0.1", "0.1", "0.5", "1", "0.2"], 33),
}
# Responses with no channel: in the totals and the days, in no group and in no rest.
NO_CHANNEL = ([10, 0, 8, 9, 6], [7, 1, None, 4, 6], ["0.25", None, "0.5", "0.1", "1"], 5)


def records():
    out = []
    for channel, (nps, ces, pis, n) in list(CHANNELS.items()) + [(None, NO_CHANNEL)]:
        for i in range(n):
            out.append({"channel": channel, "nps": nps[i % len(nps)], "ces": ces[i % len(ces)],
                        "pi": pis[i % len(pis)], "day": DAYS[1 if i % 3 else 0]})
    # Interleave the channels, so groups and days fill in an order a stream would have.
    out.sort(key=lambda r: (r["day"], hash_key(r)))
    for i, r in enumerate(out):
        r["id"] = "r%03d" % i
    return out


def hash_key(r):
    return (r["nps"] * 7 + (r["ces"] or 0) * 3 + len(r["channel"] or "")) % 11


def line(r):
    doc = {"id": r["id"], "survey_id": "s", "timestamp": r["day"] + "T12:00:00Z"}
    if r["pi"] is not None:
        doc["inclusion_probability"] = float(r["pi"])
    if r["channel"] is not None:
        doc["channel"] = r["channel"]
    answers = {"nps": r["nps"]}
    if r["ces"] is not None:
        answers["ces"] = r["ces"]
    doc["answers"] = answers
    return json.dumps(doc, separators=(",", ":"))


def weight(r):
    return 1 / Fraction(float(r["pi"])) if r["pi"] is not None else Fraction(1)


def nps_y(a):
    return 100 if a >= 9 else (0 if a >= 7 else -100)


def hajek(pairs):
    """pairs: (w, y). Estimate, variance (None when n < 2), n, sum w, n_eff."""
    n = len(pairs)
    W = sum(w for w, _ in pairs)
    R = sum(w * y for w, y in pairs) / W
    Q = sum(w * w for w, _ in pairs)
    v = Fraction(n, n - 1) * sum((w * (y - R)) ** 2 for w, y in pairs) / W ** 2 if n >= 2 else None
    return R, v, n, W, W * W / Q


def clamp(x, lo, hi):
    return min(max(x, lo), hi)


def metric(rs, question):
    if question == "nps":
        pairs = [(weight(r), Fraction(nps_y(r["nps"]))) for r in rs]
    else:
        pairs = [(weight(r), Fraction(r["ces"])) for r in rs if r["ces"] is not None]
    R, v, n, W, ne = hajek(pairs)
    out = {"n": n, "sum_weights": float(W), "n_effective": float(ne), "small_sample": ne < MIN_N,
           "value": float(R), "standard_error": None, "lower": None, "upper": None}
    if v is not None:
        se = math.sqrt(v)
        q = Z if question == "nps" else t_quantile(LEVEL, float(ne) - 1)
        lo, hi = (-100, 100) if question == "nps" else (1, 7)
        out.update(standard_error=se, lower=clamp(float(R) - q * se, lo, hi), upper=clamp(float(R) + q * se, lo, hi))
    if question == "ces":
        tb = [(w, Fraction(1 if y >= TOP_BOX else 0)) for w, y in pairs]
        p, tv, _, _, _ = hajek(tb)
        n_star = p * (1 - p) / tv if 0 < p < 1 else ne
        z2 = Z * Z
        denom = 1 + z2 / float(n_star)
        centre = (float(p) + z2 / (2 * float(n_star))) / denom
        half = Z / denom * math.sqrt(float(p * (1 - p) / n_star) + z2 / (4 * float(n_star) ** 2))
        out["top_box"] = {"share": float(p), "standard_error": math.sqrt(tv),
                          "lower": clamp(centre - half, 0.0, 1.0), "upper": clamp(centre + half, 0.0, 1.0)}
    return out, pairs


def compare(a, b, question):
    Ra, va, _, _, nea = hajek(a)
    Rb, vb, _, _, neb = hajek(b)
    d = float(Ra - Rb)
    se = math.sqrt(va + vb)
    if question == "nps":
        return {"difference": d, "lower": d - Z * se, "upper": d + Z * se,
                "p_value": math.erfc(abs(d) / se / math.sqrt(2))}
    df = float((va + vb) ** 2 / (va ** 2 / (nea - 1) + vb ** 2 / (neb - 1)))
    q = t_quantile(LEVEL, df)
    return {"difference": d, "lower": d - q * se, "upper": d + q * se, "p_value": t_two_sided_p(d / se, df),
            "df": df}


def compute():
    rs = records()
    questions = ("nps", "ces")
    totals = {q: metric(rs, q)[0] for q in questions}
    channels = list(dict.fromkeys(r["channel"] for r in rs if r["channel"] is not None))
    groups = []
    for c in channels:
        g = {"value": c, "responses": sum(1 for r in rs if r["channel"] == c)}
        for q in questions:
            m, pairs = metric([r for r in rs if r["channel"] == c], q)
            _, rest = metric([r for r in rs if r["channel"] not in (None, c)], q)
            m["vs_rest"] = compare(pairs, rest, q)
            g[q] = m
        groups.append(g)
    for q in questions:
        p = [Fraction(g[q]["vs_rest"]["p_value"]) for g in groups]
        for g, a in zip(groups, benjamini_hochberg(p)):
            assert abs(a - Fraction(1, 20)) > Fraction(1, 1000), a  # away from the threshold
            c = g[q]["vs_rest"]
            c["p_adjusted"] = float(a)
            c["flag"] = ("higher" if c["difference"] > 0 else "lower") if a < Fraction(1, 20) else None
    days = []
    previous = None
    for day in DAYS:
        d = {"label": day, "responses": sum(1 for r in rs if r["day"] == day)}
        pairs_of = {}
        for q in questions:
            m, pairs = metric([r for r in rs if r["day"] == day], q)
            m["change"] = compare(pairs, previous[q], q) if previous else None
            d[q] = m
            pairs_of[q] = pairs
        previous = pairs_of
        days.append(d)
    return {
        "source": "tests/data/golden/report_weighted_golden.py: Hajek estimates with w = 1/pi in exact "
                  "fractions, linearization variances, Kish n_eff; weighted comparisons of independent "
                  "samples (normal for NPS, Welch-Satterthwaite t on effective sizes for CES); BH in exact "
                  "fractions",
        "level": LEVEL,
        "responses": [line(r) for r in rs],
        "without_probability": sum(1 for r in rs if r["pi"] is None),
        "totals": totals,
        "groups": groups,
        "days": days,
    }


def main():
    doc = compute()
    text = json.dumps(doc, indent=1, sort_keys=True) + "\n"
    lines = "".join(l + "\n" for l in doc["responses"])
    if "--check" in sys.argv:
        for path, expected in ((OUT, text), (OUT_JSONL, lines)):
            with open(path) as f:
                if f.read() != expected:
                    sys.exit("%s differs from what report_weighted_golden.py computes" % os.path.basename(path))
        print("report_weighted_golden.json and report_weighted.jsonl are up to date")
        return
    with open(OUT, "w") as f:
        f.write(text)
    with open(OUT_JSONL, "w") as f:
        f.write(lines)
    flags = {q: [g["value"] + ":" + str(g[q]["vs_rest"]["flag"]) for g in doc["groups"]] for q in ("nps", "ces")}
    print("wrote %s (%d responses; flags %s)" % (OUT, len(doc["responses"]), flags))


if __name__ == "__main__":
    main()
