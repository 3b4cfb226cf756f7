"""Golden design-weighted NPS and scale statistics: the "weighted" section of
``tests/data/golden.json``, imported by ``compute_golden.py``.

Every record is listed (answer, inclusion probability pi) and every sum runs over the records
one by one, in exact rational arithmetic (``fractions.Fraction``: pi is the double the C++ test
reads back, converted exactly, and w = 1/pi exactly); square roots and quantiles use mpmath at
40 digits; each value is rounded once to the nearest double.  The formulas, written out:

* Hajek (ratio) estimator, w_i = 1/pi_i (Sarndal, Swensson & Wretman 1992, Model Assisted
  Survey Sampling, sec. 5.7):  R = sum_i w_i y_i / sum_i w_i.
  NPS: y_i = +100 (answer 9-10), 0 (7-8), -100 (0-6).  Scale mean: y_i = the answer.
  Top box: y_i = 1 when the answer is in the top box, else 0.
* Taylor linearization of the ratio, with-replacement ("ultimate cluster") variance
  estimator, no finite population correction (Wolter 2007, ch. 6; Kalton 1979):
  v(R) = n/(n-1) * sum_i (w_i (y_i - R))^2 / (sum_i w_i)^2;  SE = sqrt(v).  n >= 2.
* Kish's effective sample size: n_eff = (sum_i w_i)^2 / sum_i w_i^2.
* NPS interval: Wald, R +- z*SE, clamped to [-100, 100]; small_sample = n_eff < 30.
* Scale mean interval: mean +- t(level, df = n_eff - 1)*SE, clamped to the scale.
* Top-box interval: Wilson with n* = p(1-p)/v(p) (Korn & Graubard 1998), n* = n_eff when
  p is 0 or 1; clamped to [0, 1].

``self_checks`` verifies identities the C++ tests do not see: with equal weights the
estimates are the unweighted ones (NPS 100(P-D)/n, SE = trinomial SE * sqrt(n/(n-1)), mean
interval = the unweighted Student t interval with n-1 df, n_eff = n); multiplying every
weight by a constant changes nothing; and the variance equals the with-replacement variance of
the mean of the linearized values z_i = n w_i (y_i - R)/W computed as a sample variance
(which needs sum z_i = 0, checked).
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
from mpmath import mp, mpf

mp.dps = 40

LEVELS = ["0.90", "0.95", "0.99"]
SMALL_SAMPLE = 30


def to_double(x) -> float:
    x = mpf(x) if not isinstance(x, Fraction) else mpf(x.numerator) / mpf(x.denominator)
    return mpmath.libmp.to_float(x._mpf_, rnd="n")


def frac_mpf(x: Fraction) -> mpf:
    return mpf(x.numerator) / mpf(x.denominator)


def z_quantile(level: str) -> mpf:
    p = 1 - (1 - mpf(level)) / 2
    return mpmath.sqrt(2) * mpmath.erfinv(2 * p - 1)


def t_quantile(level: str, df: mpf) -> mpf:
    """Two-sided Student t critical value for real df > 0, by bisection on the CDF
    (regularized incomplete beta)."""
    p = 1 - (1 - mpf(level)) / 2

    def cdf(t):
        x = df / (df + t * t)
        return 1 - mpmath.betainc(df / 2, mpf(1) / 2, 0, x, regularized=True) / 2

    lo, hi = mpf(0), mpf(1)
    while cdf(hi) < p:
        lo, hi = hi, hi * 2
    while hi - lo > mpf("1e-32") * hi:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cdf(mid) < p else (lo, mid)
    return (lo + hi) / 2


def expand(groups) -> list[tuple[int, Fraction]]:
    """[(answer, pi as a decimal string, count)] -> one (answer, exact double pi) per record."""
    out = []
    for answer, pi, count in groups:
        out += [(answer, Fraction(float(pi)))] * count
    return out


def nps_y(answer: int) -> int:
    return 100 if answer >= 9 else (0 if answer >= 7 else -100)


def hajek(records, y, scale_by=Fraction(1)):
    """Estimate, variance, n_eff, sum w, sum w^2 of sum w y / sum w, by explicit sums."""
    n = len(records)
    w = [scale_by / pi for _, pi in records]
    ys = [Fraction(y(a)) for a, _ in records]
    W = sum(w)
    est = sum(wi * yi for wi, yi in zip(w, ys)) / W
    Q = sum(wi * wi for wi in w)
    var = None
    if n >= 2:
        var = Fraction(n, n - 1) * sum((wi * (yi - est)) ** 2 for wi, yi in zip(w, ys)) / W ** 2
    return est, var, W * W / Q, W, Q


def clamp(x, lo, hi):
    return min(max(x, mpf(lo)), mpf(hi))


NPS_CASES = [
    ("equal_weights_pi_0.25", [(10, "0.25", 7), (9, "0.25", 5), (8, "0.25", 3), (7, "0.25", 2),
                               (6, "0.25", 4), (3, "0.25", 3), (0, "0.25", 1)]),
    ("two_strata_0.1_and_0.5", [(10, "0.1", 6), (9, "0.1", 4), (7, "0.1", 3), (5, "0.1", 7),
                                (10, "0.5", 9), (8, "0.5", 8), (6, "0.5", 5), (2, "0.5", 3)]),
    ("two_strata_opposed", [(9, "0.1", 12), (8, "0.1", 2), (1, "0.1", 1),
                            (10, "0.5", 3), (7, "0.5", 4), (4, "0.5", 14), (0, "0.5", 6)]),
    ("single_record", [(9, "0.3", 1)]),
    ("two_records_one_missing_probability", [(10, "1", 1), (3, "0.2", 1)]),
    ("extreme_weight_one_in_a_thousand", [(0, "0.001", 1), (10, "1", 30), (9, "1", 12),
                                          (8, "1", 5), (5, "1", 2)]),
    ("all_promoters_unequal_weights", [(10, "0.05", 4), (9, "0.7", 6), (10, "1", 2)]),
    ("four_rates_n_200", [(10, "0.05", 20), (9, "0.05", 15), (8, "0.05", 10), (4, "0.05", 5),
                          (10, "0.2", 10), (7, "0.2", 20), (6, "0.2", 15), (1, "0.2", 5),
                          (9, "0.7", 25), (8, "0.7", 15), (5, "0.7", 10),
                          (10, "1", 10), (6, "1", 20), (0, "1", 20)]),
]

SCALE_CASES = [
    ("ces7_equal_weights_pi_0.5", (1, 7, 5), [(1, "0.5", 2), (3, "0.5", 4), (4, "0.5", 6),
                                              (5, "0.5", 9), (6, "0.5", 7), (7, "0.5", 5)]),
    ("ces7_two_strata_0.1_and_0.5", (1, 7, 5), [(7, "0.1", 8), (6, "0.1", 5), (2, "0.1", 4),
                                                (5, "0.5", 6), (4, "0.5", 9), (3, "0.5", 5),
                                                (1, "0.5", 3)]),
    ("csat5_extreme_weight", (1, 5, 4), [(1, "0.002", 1), (5, "1", 14), (4, "1", 9),
                                         (3, "1", 4), (2, "1", 2)]),
    ("csat5_all_top_box", (1, 5, 4), [(5, "0.25", 3), (4, "0.8", 5), (5, "1", 1)]),
]


def interval(lower, upper, level, n_eff):
    return {"level": float(level), "lower": to_double(lower), "upper": to_double(upper),
            "small_sample": bool(n_eff < SMALL_SAMPLE)}


def records_json(groups):
    return [{"answer": a, "pi": float(pi), "count": k} for a, pi, k in groups]


def nps_case(name, groups) -> dict:
    rec = expand(groups)
    est, var, n_eff, W, Q = hajek(rec, nps_y)
    case = {
        "name": name,
        "records": records_json(groups),
        "n": len(rec),
        "weight_total": to_double(W),
        "weight_squared_total": to_double(Q),
        "effective_n": to_double(n_eff),
        "score": to_double(est),
        "standard_error": None if var is None else to_double(mpmath.sqrt(frac_mpf(var))),
        "intervals": [],
    }
    if var is not None:
        se = mpmath.sqrt(frac_mpf(var))
        for level in LEVELS:
            z = z_quantile(level)
            case["intervals"].append(interval(clamp(frac_mpf(est) - z * se, -100, 100),
                                              clamp(frac_mpf(est) + z * se, -100, 100), level, n_eff))
    return case


def scale_case(name, s, groups) -> dict:
    lo, hi, top = s
    rec = expand(groups)
    mean, mvar, n_eff, W, Q = hajek(rec, lambda a: a)
    share, tvar, _, _, _ = hajek(rec, lambda a: 1 if a >= top else 0)
    case = {
        "name": name,
        "scale": {"min": lo, "max": hi, "top_box_min": top},
        "records": records_json(groups),
        "n": len(rec),
        "weight_total": to_double(W),
        "weight_squared_total": to_double(Q),
        "effective_n": to_double(n_eff),
        "mean": to_double(mean),
        "mean_standard_error": to_double(mpmath.sqrt(frac_mpf(mvar))),
        "top_box": to_double(share),
        "top_box_standard_error": to_double(mpmath.sqrt(frac_mpf(tvar))),
        "mean_intervals": [],
        "top_box_intervals": [],
    }
    m, se = frac_mpf(mean), mpmath.sqrt(frac_mpf(mvar))
    p, v = frac_mpf(share), frac_mpf(tvar)
    n_star = p * (1 - p) / v if 0 < share < 1 else frac_mpf(n_eff)
    for level in LEVELS:
        t = t_quantile(level, frac_mpf(n_eff) - 1)
        case["mean_intervals"].append(interval(clamp(m - t * se, lo, hi), clamp(m + t * se, lo, hi),
                                               level, n_eff))
        z = z_quantile(level)
        z2 = z * z
        denom = 1 + z2 / n_star
        centre = (p + z2 / (2 * n_star)) / denom
        half = z / denom * mpmath.sqrt(p * (1 - p) / n_star + z2 / (4 * n_star * n_star))
        case["top_box_intervals"].append(interval(clamp(centre - half, 0, 1),
                                                  clamp(centre + half, 0, 1), level, n_eff))
    return case


def self_checks():
    # Equal weights: the unweighted NPS, the trinomial SE times sqrt(n/(n-1)), n_eff = n.
    rec = expand(NPS_CASES[0][1])
    n = len(rec)
    P = sum(1 for a, _ in rec if a >= 9)
    D = sum(1 for a, _ in rec if a <= 6)
    est, var, n_eff, _, _ = hajek(rec, nps_y)
    assert est == Fraction(100 * (P - D), n)
    pP, pD = Fraction(P, n), Fraction(D, n)
    assert var == Fraction(n, n - 1) * 100 ** 2 * (pP + pD - (pP - pD) ** 2) / n
    assert n_eff == n
    # Equal weights on a scale: s/sqrt(n) with the n-1 sample variance (the unweighted t interval).
    rec = expand(SCALE_CASES[0][2])
    n = len(rec)
    mean, var, n_eff, _, _ = hajek(rec, lambda a: a)
    assert mean == Fraction(sum(a for a, _ in rec), n) and n_eff == n
    assert var == sum((a - mean) ** 2 for a, _ in rec) / (n - 1) / n
    # Scaling every weight by a constant changes no estimate, variance or n_eff.
    for _, groups in NPS_CASES:
        rec = expand(groups)
        a, b = hajek(rec, nps_y), hajek(rec, nps_y, Fraction(7, 3))
        assert a[:3] == b[:3]
    # The variance as the with-replacement variance of the mean of z_i = n w_i (y_i - R)/W.
    for _, groups in NPS_CASES:
        rec = expand(groups)
        n = len(rec)
        if n < 2:
            continue
        est, var, _, W, _ = hajek(rec, nps_y)
        z = [n * (1 / pi) * (nps_y(a) - est) / W for a, pi in rec]
        zbar = sum(z) / n
        assert zbar == 0
        assert var == sum((zi - zbar) ** 2 for zi in z) / (n - 1) / n
    # Kish: n_eff <= n, equal only for equal weights.
    for name, groups in NPS_CASES:
        rec = expand(groups)
        _, _, n_eff, _, _ = hajek(rec, nps_y)
        equal = len({pi for _, pi in rec}) == 1
        assert n_eff == len(rec) if equal else n_eff < len(rec), name
    # The t quantile with integer df against a known value.
    assert abs(t_quantile("0.95", mpf(29)) - mpf("2.045229642132703")) < mpf("1e-14")


def weighted_cases() -> dict:
    self_checks()
    source = ("weighted_golden.py: explicit sums over the records in exact fractions (w = 1/pi of "
              "the double pi); Hajek R = sum w y / sum w; linearization with-replacement variance "
              "n/(n-1) sum (w (y - R))^2 / (sum w)^2; Kish n_eff = (sum w)^2 / sum w^2; NPS Wald, "
              "mean t(n_eff - 1), top box Wilson with n* = p(1-p)/v; rounded to the nearest double.")
    return {
        "about": source,
        "nps": [nps_case(name, groups) for name, groups in NPS_CASES],
        "scale": [scale_case(name, s, groups) for name, s, groups in SCALE_CASES],
    }
