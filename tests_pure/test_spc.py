"""B-6: the p-chart formula, against a worked example of a statistics text."""

import pytest


@pytest.fixture(name="spc")
def fixture_spc(load_pure_module):
    return load_pure_module("spc")


def test_montgomery_example_7_1(spc):
    """D. C. Montgomery, *Introduction to Statistical Quality Control*, 6th ed. (Wiley,
    2009), Example 7.1, frozen orange juice concentrate cans: 30 samples of n = 50 with
    347 nonconforming cans, p̄ = 347/1500 = 0.2313; trial limits UCL = 0.4102 and
    LCL = 0.0524."""
    p_bar = round(347 / 1500, 4)
    lcl, ucl = spc.p_chart_limits(p_bar, 50)
    assert (round(lcl, 4), round(ucl, 4)) == (0.0524, 0.4102)
    # its samples 15 (21 of 50, 0.42) and 23 (24 of 50, 0.48) were above the limit
    assert spc.p_chart_point(21, 50, p_bar)["out_of_control"]
    assert spc.p_chart_point(24, 50, p_bar)["out_of_control"]
    assert not spc.p_chart_point(12, 50, p_bar)["out_of_control"]


def test_the_limits_follow_the_sample_size(spc):
    """A bad week with few activities stays inside the wider limits: one not confirmed
    out of three at p̄ = 5 % is chance; ten out of twenty is not."""
    small = spc.p_chart_point(1, 3, 0.05)
    assert small["p"] == pytest.approx(1 / 3)
    assert small["ucl"] == pytest.approx(0.05 + 3 * (0.05 * 0.95 / 3) ** 0.5)
    assert not small["out_of_control"]
    assert spc.p_chart_point(10, 20, 0.05)["out_of_control"]


@pytest.mark.parametrize(
    "p_bar, n, expected",
    [
        (0.05, 10, (0.0, 0.05 + 3 * (0.05 * 0.95 / 10) ** 0.5)),  # lower limit clipped at 0
        (0.0, 12, (0.0, 0.0)),  # a department that never failed: any failure signals
        (0.9, 1, (0.0, 1.0)),  # clipped at both ends
    ],
)
def test_limits_are_clipped(spc, p_bar, n, expected):
    assert spc.p_chart_limits(p_bar, n) == pytest.approx(expected)


@pytest.mark.parametrize(
    "call",
    [
        lambda spc: spc.p_chart_limits(0.1, 0),
        lambda spc: spc.p_chart_limits(1.2, 10),
        lambda spc: spc.p_chart_point(5, 4, 0.1),
    ],
)
def test_bad_input_is_refused(spc, call):
    with pytest.raises(ValueError):
        call(spc)
