"""Golden adjusted p-values (Bonferroni, Holm, Benjamini-Hochberg): the "p_adjust" section of
``tests/data/golden.json``, imported by ``compute_golden.py``.

Written from the papers' definitions, in exact rational arithmetic (``fractions.Fraction``:
a double converts to it exactly), and rounded once to the nearest double at the end.  R is
not available here; the semantics follow R's ``p.adjust`` documentation (``n = length(p)``,
adjusted values capped at 1, "BH" = Benjamini & Hochberg):

* Bonferroni: reject H_i at level alpha when p_i <= alpha/m; adjusted p_i = min(1, m*p_i).
* Holm, S. (1979), Scand. J. Statist. 6:65-70: with p_(1) <= ... <= p_(m), the step-down
  procedure rejects H_(1), ..., H_(k-1), where k is the first rank with
  p_(k) > alpha/(m - k + 1).
* Benjamini, Y. & Hochberg, Y. (1995), JRSS B 57:289-300: the step-up procedure rejects
  H_(1), ..., H_(k) for the largest k with p_(k) <= k*alpha/m.

An adjusted p-value is the smallest alpha at which the procedure rejects the hypothesis
(Wright, S. P. (1992), Biometrics 48:1005-1013, the definition R's documentation cites).
H_(i) falls to Holm's procedure exactly when every rank j <= i passes, i.e. when
alpha >= (m - j + 1)*p_(j) for all j <= i; it falls to BH exactly when some rank j >= i
passes, i.e. when alpha >= (m/j)*p_(j) for some j >= i.  The functions below take that max
(min) over the ranks with an explicit double loop, O(m^2), rather than a running maximum;
``check_against_procedures`` then runs the two procedures themselves, as the papers state
them, at every threshold where a decision can change and just around it, and requires that
"adjusted <= alpha" gives the same decisions.  Equal p-values keep their input order when
sorted (Python's sort is stable); the values do not depend on that order.
"""

from __future__ import annotations

import random
from fractions import Fraction

METHODS = ("bonferroni", "holm", "benjamini_hochberg")


def sorted_ranks(p: list[Fraction]) -> list[int]:
    """Indices of p in increasing order of p (stable): rank j (1-based) is order[j - 1]."""
    return sorted(range(len(p)), key=lambda i: p[i])


def bonferroni(p: list[Fraction]) -> list[Fraction]:
    m = len(p)
    return [min(Fraction(1), m * x) for x in p]


def holm(p: list[Fraction]) -> list[Fraction]:
    m = len(p)
    order = sorted_ranks(p)
    out = [Fraction(0)] * m
    for i in range(1, m + 1):
        smallest_alpha = max((m - j + 1) * p[order[j - 1]] for j in range(1, i + 1))
        out[order[i - 1]] = min(Fraction(1), smallest_alpha)
    return out


def benjamini_hochberg(p: list[Fraction]) -> list[Fraction]:
    m = len(p)
    order = sorted_ranks(p)
    out = [Fraction(0)] * m
    for i in range(1, m + 1):
        smallest_alpha = min(Fraction(m, j) * p[order[j - 1]] for j in range(i, m + 1))
        out[order[i - 1]] = min(Fraction(1), smallest_alpha)
    return out


# The procedures as the papers state them: the set of indices rejected at level alpha.


def bonferroni_rejects(p, alpha) -> set[int]:
    return {i for i, x in enumerate(p) if x <= alpha / len(p)}


def holm_rejects(p, alpha) -> set[int]:
    m = len(p)
    rejected = set()
    for k, i in enumerate(sorted_ranks(p), start=1):
        if p[i] > alpha / (m - k + 1):
            break
        rejected.add(i)
    return rejected


def bh_rejects(p, alpha) -> set[int]:
    m = len(p)
    order = sorted_ranks(p)
    largest = 0
    for k in range(1, m + 1):
        if p[order[k - 1]] <= k * alpha / m:
            largest = k
    return set(order[:largest])


def check_against_procedures(p: list[Fraction], adjusted: dict[str, list[Fraction]]) -> None:
    procedures = {"bonferroni": bonferroni_rejects, "holm": holm_rejects,
                  "benjamini_hochberg": bh_rejects}
    for method, rejects in procedures.items():
        thresholds = set(adjusted[method]) | {Fraction(1, 20), Fraction(1, 10)}
        for t in thresholds:
            for alpha in (t, t * (1 - Fraction(1, 10**12)), t * (1 + Fraction(1, 10**12))):
                if not 0 < alpha < 1:
                    continue
                by_adjusted = {i for i, a in enumerate(adjusted[method]) if a <= alpha}
                assert by_adjusted == rejects(p, alpha), (method, p, alpha)


def seeded(seed: int, n: int, cube: bool) -> list[float]:
    """n values from random.Random(seed).random() (reproducible across Python versions); cubed
    (by multiplication, exact IEEE arithmetic) to spread them over small magnitudes."""
    r = random.Random(seed)
    out = []
    for _ in range(n):
        u = r.random()
        out.append(u * u * u if cube else u)
    return out


SORTED_15 = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240,
             0.4262, 0.5719, 0.6528, 0.7590, 1.0]

CASES = [
    ("four distinct", [0.03, 0.01, 0.04, 0.02]),
    ("ties", [0.02, 0.01, 0.02, 0.04, 0.02, 0.5, 0.01]),
    ("all equal", [0.3, 0.3, 0.3, 0.3, 0.3]),
    ("zeros and ones", [0.0, 1.0, 0.0, 0.3, 1.0, 0.05]),
    ("single value", [0.042]),
    ("two values", [0.04, 0.03]),
    ("capped at one", [0.4, 0.6, 0.35, 0.9]),
    ("already sorted", SORTED_15),
    ("reverse sorted", list(reversed(SORTED_15))),
    ("tiny values", [1e-300, 0.5, 1e-300, 2.5e-300, 1e-200, 2.2250738585072014e-308, 0.01]),
    ("20 uniform, seed 20240601", seeded(20240601, 20, cube=False)),
    ("20 cubed uniform, seed 7", seeded(7, 20, cube=True)),
]


def to_double(x: Fraction) -> float:
    # Fraction -> float divides two ints, which Python rounds correctly (to nearest, ties to even).
    return float(x)


def self_checks() -> None:
    # Hand values, m = 4, p sorted = 0.01, 0.02, 0.03, 0.04 (exact decimals here):
    # Holm: 4*0.01 = 0.04, 3*0.02 = 0.06, max(0.06, 2*0.03), max(0.06, 1*0.04);
    # BH from the top: 0.04, min(0.04, 4/3*0.03), min(0.04, 4/2*0.02), min(0.04, 4*0.01).
    p = [Fraction(3, 100), Fraction(1, 100), Fraction(4, 100), Fraction(2, 100)]
    assert holm(p) == [Fraction(6, 100), Fraction(4, 100), Fraction(6, 100), Fraction(6, 100)]
    assert benjamini_hochberg(p) == [Fraction(4, 100)] * 4
    assert bonferroni(p) == [Fraction(12, 100), Fraction(4, 100), Fraction(16, 100), Fraction(8, 100)]
    # The 15 sorted values at 0.05: BH rejects four, Holm and Bonferroni three.
    q = [Fraction(x) for x in SORTED_15]
    assert len(bh_rejects(q, Fraction(1, 20))) == 4
    assert len(holm_rejects(q, Fraction(1, 20))) == 3
    assert len(bonferroni_rejects(q, Fraction(1, 20))) == 3


def p_adjust_case(name: str, raw: list[float]) -> dict:
    p = [Fraction(x) for x in raw]  # exact: the doubles the C++ test reads back
    adjusted = {"bonferroni": bonferroni(p), "holm": holm(p),
                "benjamini_hochberg": benjamini_hochberg(p)}
    check_against_procedures(p, adjusted)
    for i, x in enumerate(p):
        b, h, bh = (adjusted[m][i] for m in METHODS)
        assert x <= bh <= h <= b <= 1, (name, i)
    case = {
        "name": name,
        "source": (
            "p_adjust_golden.py, exact fractions: bonferroni min(1, m*p); holm (Holm 1979) "
            "min(1, max over ranks j <= i of (m-j+1)*p_(j)); benjamini_hochberg (Benjamini & "
            "Hochberg 1995) min(1, min over ranks j >= i of m/j*p_(j)); each checked against "
            "the rejection procedures at every threshold; rounded to the nearest double."
        ),
        "p": list(raw),
    }
    for m in METHODS:
        case[m] = [to_double(a) for a in adjusted[m]]
    return case


def p_adjust_cases() -> list[dict]:
    self_checks()
    return [p_adjust_case(name, raw) for name, raw in CASES]
