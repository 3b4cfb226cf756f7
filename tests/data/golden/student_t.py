"""Student's t distribution for the golden generators, standard library only and independent of
the C++ code (which uses Boost.Math): the regularized incomplete beta I_x(a, b) by its continued
fraction (modified Lentz, Numerical Recipes 6.4), the t CDF from it, quantiles by bisection to
the spacing of doubles, checked against t-table values (self_checks).
"""

from __future__ import annotations

import math


def betacf(a, b, x):
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            return h
    raise ArithmeticError("betacf did not converge")


def betainc(a, b, x):
    """The regularized incomplete beta I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                     + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * betacf(a, b, x) / a
    return 1.0 - front * betacf(b, a, 1.0 - x) / b


def t_cdf(t, df):
    tail = 0.5 * betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p, df):
    """The p quantile (p > 1/2) of Student's t by bisection to the spacing of doubles."""
    lo, hi = 0.0, 1.0
    while t_cdf(hi, df) < p:
        hi *= 2.0
    while True:
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            return mid
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid


def t_two_sided_p(t, df):
    """P(|T| >= |t|) for Student's t with df degrees of freedom."""
    return betainc(df / 2.0, 0.5, df / (df + t * t))


def self_checks():
    # Two-sided t-table values (e.g. Abramowitz & Stegun table 26.10), 6 decimals.
    for p, df, want in [(0.975, 29, 2.045230), (0.975, 10, 2.228139), (0.95, 5, 2.015048),
                        (0.995, 29, 2.756386), (0.975, 99, 1.984217), (0.975, 1, 12.706205)]:
        got = t_quantile(p, df)
        assert abs(got - want) < 5e-7, (p, df, got, want)
    # df = 2 has the closed form t = (2p - 1) sqrt(2 / (1 - (2p - 1)^2)).
    q = 2 * 0.975 - 1
    assert abs(t_quantile(0.975, 2) - q * math.sqrt(2 / (1 - q * q))) < 1e-13


