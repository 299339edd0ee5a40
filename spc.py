"""Statistical process control of the verifications, free of Odoo (B-6).

A p-chart follows a proportion of nonconforming units from sample to sample: here, a
collaborator's activities *not confirmed* by the customers, per weekly lot (Saturday to
Friday). Each week's point ``p = d / n`` is compared with limits around the centre
line ``p̄`` (his department's not-confirmed rate over the previous weeks), for that
week's sample size ``n``:

    UCL = p̄ + 3·√(p̄(1 − p̄)/n)        LCL = max(0, p̄ − 3·√(p̄(1 − p̄)/n))

A point above the upper limit is out of control: more not-confirmed activities than
chance explains (one out of three is not a signal at p̄ = 5 %; ten out of twenty is).
The limits widen for small samples, so a bad week with few activities is not flagged.
This module imports nothing from Odoo (``tests_pure/test_spc.py``).
"""

from math import sqrt

SIGMAS = 3


def p_chart_limits(p_bar, n):
    """``(lcl, ucl)`` of a p-chart for centre line ``p_bar`` and sample size ``n``: the
    lower limit clipped at 0, the upper at 1."""
    if n <= 0:
        raise ValueError("A p-chart point needs a sample of at least one unit.")
    if not 0 <= p_bar <= 1:
        raise ValueError("The centre line of a p-chart is a proportion, from 0 to 1.")
    spread = SIGMAS * sqrt(p_bar * (1 - p_bar) / n)
    return max(0.0, p_bar - spread), min(1.0, p_bar + spread)


def p_chart_point(nonconforming, n, p_bar):
    """The p-chart point of a sample: ``{"p", "lcl", "ucl", "out_of_control"}``; out of
    control when ``p`` is above the upper limit."""
    if not 0 <= nonconforming <= n:
        raise ValueError("The nonconforming units are part of the sample.")
    lcl, ucl = p_chart_limits(p_bar, n)
    p = nonconforming / n
    return {"p": p, "lcl": lcl, "ucl": ucl, "out_of_control": p > ucl}
