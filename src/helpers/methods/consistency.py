"""Consistency checks of summary statistics: GRIM, GRIMMER, DEBIT, percentages, totals, ranges.

Each check takes the published values **as printed strings** (so the number of decimals is known),
works in exact integer arithmetic (no floating-point near a rounding boundary), is vectorised over
rows, and returns a tidy table with a ``consistency`` column (``consistent``, ``inconsistent`` or
``unverifiable``) and a ``reason`` in words. ``inconsistent`` is reserved for what arithmetic
proves impossible under the stated grid and rounding convention. A value printed with too few
decimals to test, or a measure without known granularity, is ``unverifiable`` with its reason,
never a false ``inconsistent``.

Granularity
    Every check of a mean assumes that each patient's value lies on a grid
    ``scale_min + k * step`` (``scale_min`` is 0 when not given): ``step = 1`` for integers (a sum
    score, an item), ``1/k`` for the raw mean of ``k`` integer items, ``100/(3k)`` for an EORTC
    0-100 score of ``k`` items scored 1-4 (see :func:`eortc_step`). The mean of ``n`` such values
    is ``scale_min`` plus a multiple of ``step/n``.

Rounding conventions
    ``half_up`` (a half rounds away from zero, as in most statistics packages' printing:
    2.5 -> 3, -2.5 -> -3), ``half_even`` (a half rounds to the even digit, IEEE and R's
    ``round``), ``either`` (a half may have gone either way: the most lenient, and the default).
    Any other name is an error. A candidate mean is rounded as the value itself, on any
    ``scale_min`` (odd or negative), never as its distance from ``scale_min``.

Where each test is exact and where it is only necessary
    GRIM is exact where it tests: a mean is ``inconsistent`` exactly when no ``n`` values on the
    grid (within the scale's bounds when given) have a mean that prints so; a mean printed more
    finely than the possible means are apart is ``unverifiable``. GRIMMER (and so DEBIT, and
    :func:`infer_n` with an SD) first applies the analytic bounds of Allard (2018): the sum of
    squares of the data, in grid units, has the parity of the sum and lies between the least and
    the greatest the sum allows within the scale. These are necessary, not sufficient: mean 3.0
    and SD 2 from two answers on a 1-5 scale pass them, yet (1, 5), (2, 4) and (3, 3) have SDs
    2.83, 1.41 and 0. So where the scale's maximum is given (a bounded grid) with at most
    :data:`EXACT_MAX_TOP` steps from minimum to maximum and ``n`` at most :data:`EXACT_MAX_N`,
    GRIMMER also runs an exact check that decides whether some n values on the grid have a sum
    and a sum of squares giving the printed mean and SD (chip-firing moves, a table of the
    achievable sums of squares near the greatest, block moves and, for what these leave open, a
    direct dynamic programme; see the comments above :func:`_exact_window`). Its verdicts are
    exact both ways and the ``method`` column says ``exact``. Without a scale maximum (the grid is
    unbounded), above those limits, or in the rare window the exact check leaves to a direct
    programme larger than :data:`EXACT_DP_BUDGET`, the verdict is the bounds' (``method`` is
    ``bounds``): ``inconsistent`` is still a proof, but ``consistent`` only means the SD passes a
    necessary condition, and the reason says so. The tests check the exact check against a
    brute-force enumeration of every sample for small n and scales; a development scan of 3.4
    million windows (n from 2 to 100, grids of 2 to 50 steps, windows mostly near the greatest
    sum of squares, where gaps are) left none undecided, and 0.7 million others agreed with a
    direct dynamic programme (on grids of 51-80 steps, 30 of 1.6 million windows, all with n
    from 11 to 22, were left to the bounds).

Methods: GRIM, Brown & Heathers (2017) Soc Psychol Personal Sci 8:363; GRIMMER, Anaya (2016)
PeerJ Preprints 4:e2400, in the analytic form of Allard (2018), completed by the exact check
above; DEBIT, Heathers & Brown (2019), osf.io/5vb3u, which is GRIMMER on 0/1 data (for which the
bounds are already exact). R's ``scrutiny`` implements these, but no maintained Python library
does with exact arithmetic and this granularity model, hence this module.
"""

from __future__ import annotations

import functools
from fractions import Fraction
from numbers import Rational

import numpy as np
import pandas as pd

__all__ = [
    "CONSISTENT", "EXACT_DP_BUDGET", "EXACT_MAX_N", "EXACT_MAX_TOP", "INCONSISTENT",
    "MAX_CANDIDATES", "ROUNDING", "UNVERIFIABLE", "adds_up", "compact_ranges", "debit",
    "eortc_step", "grim", "grimmer", "infer_n", "item_mean_step", "max_sd", "module_item_counts",
    "parse_printed",
    "percentage", "range_checks", "sum_grid", "within",
]

ROUNDING = ("half_up", "half_even", "either")
CONSISTENT, INCONSISTENT, UNVERIFIABLE = "consistent", "inconsistent", "unverifiable"


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------

def eortc_step(items: int, levels: int = 4) -> Fraction:
    """Grid step of an EORTC 0-100 scale score of ``items`` items with ``levels`` response levels.

    A scale score is ``(RS - 1) / (levels - 1) * 100`` (symptom) or 100 minus that (functional),
    with ``RS`` the mean of the items, so one patient's score is a multiple of
    ``100 / ((levels - 1) * items)`` (EORTC QLQ-C30 Scoring Manual, 3rd edition, 2001).

    Examples
    --------
    >>> eortc_step(3)
    Fraction(100, 9)
    """
    items, levels = _positive_int(items, "items"), _positive_int(levels, "levels")
    if levels < 2:
        raise ValueError(f"levels must be at least 2, got {levels}")
    return Fraction(100, (levels - 1) * items)


def item_mean_step(items: int) -> Fraction:
    """Grid step of the raw mean of ``items`` integer-scored items.

    Examples
    --------
    >>> item_mean_step(2)
    Fraction(1, 2)
    """
    return Fraction(1, _positive_int(items, "items"))


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not float(value).is_integer() or int(value) < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def parse_printed(values, name: str = "value") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Printed numbers as exact integers: ``(units, decimals, sign)``, value =
    sign*units/10**decimals.

    Raises a ``ValueError`` naming the bad entry when a value is not a plain decimal number.

    Examples
    --------
    >>> units, decimals, sign = parse_printed(["17.0", "-0.24", "30"])
    >>> units.tolist(), decimals.tolist(), sign.tolist()
    ([170, 24, 30], [1, 2, 0], [1, -1, 1])
    """
    def parse(value, position):
        text = str(value).strip()
        body = text[1:] if text[:1] in "+-" else text
        whole, _, fraction = body.partition(".")
        if not (whole.isdigit() or (whole == "" and fraction)) or \
                (fraction and not fraction.isdigit()) or body.count(".") > 1:
            raise ValueError(f"{name} {text!r} (position {position}) is not a number as printed; "
                             "give it as text such as '29.60'")
        return int((whole or "0") + fraction), len(fraction), -1 if text.startswith("-") else 1

    parsed = _parse_unique(np.atleast_1d(np.asarray(values, dtype=object)), parse)
    units, decimals, signs = (np.array(column, dtype=np.int64) for column in zip(*parsed)) \
        if parsed else (np.array([], dtype=np.int64),) * 3
    return units, decimals, signs


def _counts(values, name: str, minimum: int = 1) -> np.ndarray:
    array = np.atleast_1d(np.asarray(values, dtype=object))
    out = []
    for position, value in enumerate(array):
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{name} {value!r} (position {position}) is not a number") from None
        if not number.is_integer() or number < minimum:
            raise ValueError(f"{name} must be an integer of at least {minimum}; got {value!r} "
                             f"(position {position})")
        out.append(int(number))
    return np.array(out, dtype=np.int64)


def _steps(values, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Grid steps as exact fractions ``p/q`` (numerator and denominator arrays)."""
    array = np.atleast_1d(np.asarray(values, dtype=object))
    if array.size == 1:
        array = np.repeat(array, size)

    def parse(value, position):
        try:
            fraction = Fraction(value) if isinstance(value, (Rational, str, int)) else \
                Fraction(str(value))
        except (TypeError, ValueError, ZeroDivisionError):
            raise ValueError(f"step {value!r} (position {position}) is not a number") from None
        if fraction <= 0:
            raise ValueError(f"step must be positive, got {value!r} (position {position})")
        return fraction

    fractions = _parse_unique(array, parse)
    return (np.array([f.numerator for f in fractions], dtype=np.int64),
            np.array([f.denominator for f in fractions], dtype=np.int64))


def _check_rounding(rounding: str) -> str:
    if rounding not in ROUNDING:
        raise ValueError(f"unknown rounding convention {rounding!r}; use one of: "
                         f"{', '.join(ROUNDING)}")
    return rounding


def _broadcast(**columns) -> dict[str, np.ndarray]:
    arrays = {k: np.atleast_1d(np.asarray(v, dtype=object)) for k, v in columns.items()}
    size = max(a.size for a in arrays.values())
    out = {}
    for name, array in arrays.items():
        if array.size not in (1, size):
            raise ValueError(f"{name} has {array.size} values where others have {size}")
        out[name] = np.repeat(array, size) if array.size == 1 and size > 1 else array
    return out


def _bound(values, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Optional scale bounds as exact fractions: ``(given, numerator, denominator)`` arrays."""
    array = np.atleast_1d(np.asarray(values, dtype=object))
    if array.size == 1:
        array = np.repeat(array, size)

    def parse(v, position):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        try:
            return Fraction(v) if isinstance(v, Rational) else Fraction(str(v))
        except (TypeError, ValueError):
            raise ValueError(f"scale bound {v!r} (position {position}) is not a number") from None

    fractions = _parse_unique(array, parse)
    given = np.array([f is not None for f in fractions], dtype=bool)
    numerator = np.array([f.numerator if f is not None else 0 for f in fractions], dtype=np.int64)
    denominator = np.array([f.denominator if f is not None else 1 for f in fractions],
                           dtype=np.int64)
    return given, numerator, denominator


def _parse_unique(array: np.ndarray, parse) -> list:
    """``parse`` applied once per distinct value (n-inference repeats each value many times)."""
    keys = [f"{type(v).__name__}:{v}" for v in array]
    cache: dict = {}
    out = []
    for position, (key, value) in enumerate(zip(keys, array)):
        if key not in cache:
            cache[key] = parse(value, position)
        out.append(cache[key])
    return out


# ---------------------------------------------------------------------------------------------
# Exact rounding
# ---------------------------------------------------------------------------------------------

def _ceil_div(a, b):
    return -((-a) // b)


def _rounds_to(numerator, denominator, target, power, rounding: str):
    """Does the rational ``numerator/denominator`` (any sign; ``denominator > 0``), rounded to the
    decimals whose ``power`` is ``10**decimals``, print as ``target`` (integer units of
    ``1/power``)? A half rounds away from zero (``half_up``), to the even digit (``half_even``) or
    either way (``either``). Exact and vectorised (numpy integer arrays, broadcasting)."""
    scaled = numerator * power
    floor = scaled // denominator  # floor division: rounds towards minus infinity, any sign
    twice_remainder = 2 * (scaled - floor * denominator)
    above = twice_remainder > denominator
    tie = twice_remainder == denominator
    if rounding == "half_up":  # at a tie the value is floor + 1/2: positive exactly when floor >= 0
        return (floor + (above | (tie & (floor >= 0)))) == target
    if rounding == "half_even":
        return (floor + (above | (tie & (floor % 2 == 1)))) == target
    return ((floor + above) == target) | (tie & ((floor + 1) == target))


#: Largest magnitude the int64 arithmetic may reach before switching to Python integers.
_INT64_SAFE = 2 ** 62


def _integers(*arrays, magnitude: float):
    """The arrays as int64 when ``magnitude`` (an upper estimate of any intermediate value) is
    safe, else as Python-integer object arrays (exact, slower)."""
    dtype = np.int64 if magnitude < _INT64_SAFE else object
    return [np.asarray(a).astype(dtype) for a in arrays]


# ---------------------------------------------------------------------------------------------
# GRIM and GRIMMER: the shared core
# ---------------------------------------------------------------------------------------------

#: GRIMMER tests at most this many candidate sums per mean; coarser means are unverifiable.
MAX_CANDIDATES = 200


def sum_grid(mean, n, step, scale_min, scale_max, rounding):
    """Everything GRIM and GRIMMER need, as arrays over rows.

    Values are put on the grid ``y = (x - scale_min) / step`` (integers from 0 to ``top``). The
    candidate sums ``K`` (mean = scale_min + K * step / n) that print as the mean are the columns
    of ``candidates`` where ``valid`` is True. Whether a candidate prints as the mean is decided on
    the value itself, ``scale_min + K * step / n``, not on its distance from ``scale_min``: a half
    rounds by the value's own digit and sign (a shift by an odd origin would flip ``half_even``,
    a negative value would flip ``half_up``).
    """
    columns = _broadcast(mean=mean, n=n)
    size = columns["mean"].size
    units, decimals, sign = parse_printed(columns["mean"], "mean")
    counts = _counts(columns["n"], "n")
    p, q = _steps(step, size)
    (has_low, low_num, low_den), (has_top, high_num, high_den) = \
        _bound(scale_min, size), _bound(scale_max, size)
    power = 10 ** decimals
    value = sign * units  # printed mean in units of 1/power
    # top: the largest value on the grid in grid units, floor((max - min) / step)
    span_num = high_num * low_den - low_num * high_den
    span_den = high_den * low_den
    top = np.where(has_top, (span_num * q) // np.maximum(span_den * p, 1), 0)
    # above the maximum by more than half a printed unit: 2 value / power > 2 max + 1 / power
    above_max = has_top & (2 * value * high_den > 2 * high_num * power + high_den)
    # below the minimum by more than half a printed unit: 2 value / power < 2 min - 1 / power
    below_min = 2 * value * low_den < 2 * low_num * power - low_den
    outside = below_min | above_max
    low = _fractions_of(has_low, low_num, low_den)
    high = _fractions_of(has_top, high_num, high_den)
    granular = p * power > q * counts  # possible means step/n apart, coarser than a printed unit
    spread_float = (q.astype(float) * counts) / (p.astype(float) * power)
    width = int(min(max(int(np.ceil(np.max(spread_float, initial=1.0))), 1) + 2, MAX_CANDIDATES + 2))
    # Every intermediate below is at most (|2 value low_den| + 2 |low_num| power + low_den) q n
    # + 2 power low_den p (|K| + 1), and K is at most that over (2 power low_den p) plus width.
    magnitude = float(np.max((2.0 * np.abs(value) * low_den + 2.0 * np.abs(low_num) * power
                              + low_den) * q * counts, initial=1.0)) * 4.0 + \
        4.0 * width * float(np.max(2.0 * power * low_den * p, initial=1.0))
    value, low_num, low_den, counts64, p64, q64, power64 = _integers(
        value, low_num, low_den, counts, p, q, power, magnitude=magnitude * 4.0)
    # The least K whose mean reaches the lower end of the rounding interval of the printed value:
    # low + K p / (q n) >= (2 value - 1) / (2 power)
    lo = _ceil_div(((2 * value - 1) * low_den - 2 * power64 * low_num) * q64 * counts64,
                   2 * power64 * low_den * p64)
    lo = np.maximum(lo, 0)
    spread = _ceil_div(q64 * counts64, p64 * power64)  # candidates per printed unit, rounded up
    offsets = np.arange(width, dtype=np.int64).astype(lo.dtype)
    candidates = lo[:, None] + offsets[None, :]
    # the candidate mean, unshifted: (low_num q n + K p low_den) / (low_den q n)
    numerator = (low_num * q64 * counts64)[:, None] + candidates * (p64 * low_den)[:, None]
    valid = _rounds_to(numerator, (low_den * q64 * counts64)[:, None], value[:, None],
                       power64[:, None], rounding)
    valid &= (candidates >= 0) & ~outside[:, None]
    valid &= ~has_top[:, None] | (candidates <= (top * counts)[:, None].astype(candidates.dtype))
    too_coarse = np.asarray(spread, dtype=float) + 2 > MAX_CANDIDATES
    return dict(columns=columns, size=size, counts=counts, p=p, q=q, low=low, high=high,
                decimals=decimals, power=power, outside=outside, below_min=below_min,
                granular=granular, candidates=candidates, valid=valid, has_top=has_top, top=top,
                too_coarse=too_coarse)


def _fractions_of(given, numerator, denominator) -> list:
    """Bounds as Fractions for messages (one per distinct value)."""
    cache: dict = {}
    out = []
    for g, a, b in zip(given, numerator, denominator):
        key = (bool(g), int(a), int(b))
        if key not in cache:
            cache[key] = Fraction(int(a), int(b)) if g else None
        out.append(cache[key])
    return out


def _step_text(p, q) -> list[str]:
    return [str(Fraction(int(a), int(b))) for a, b in zip(p, q)]


def _number(value: Fraction, digits: int = 4) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.{digits}g}"


# ---------------------------------------------------------------------------------------------
# GRIM
# ---------------------------------------------------------------------------------------------

def _grim_verdict(g: dict) -> tuple[np.ndarray, np.ndarray]:
    possible = g["valid"].any(axis=1)
    verdict = np.where(g["outside"], INCONSISTENT,
                       np.where(~g["granular"], UNVERIFIABLE,
                                np.where(possible, CONSISTENT, INCONSISTENT)))
    return verdict, possible


def grim(mean, n, step=1, *, rounding: str = "either", scale_min=None, scale_max=None
         ) -> pd.DataFrame:
    """GRIM: can a mean printed this way arise from ``n`` values on a grid of ``step``?

    Parameters
    ----------
    mean : str or sequence of str
        Means as printed (``"29.60"``); their decimals set the precision tested.
    n : int or sequence of int
        Sample sizes.
    step : int, Fraction, str or sequence
        Grid step of one patient's value (see module docstring): 1, ``eortc_step(k)``, ...
    rounding : {"either", "half_up", "half_even"}
    scale_min, scale_max : number, optional
        Bounds of the scale. ``scale_min`` is the grid's origin (0 when not given); a mean
        outside the bounds is inconsistent.

    Returns
    -------
    pandas.DataFrame
        ``mean, n, step, decimals, consistency, reason, nearest`` (the possible means next to an
        inconsistent one, printed to the same decimals).

    Examples
    --------
    Brown & Heathers (2017): a mean of 5.19 from 28 integer answers is impossible.

    >>> grim("5.19", 28)[["consistency", "nearest"]].values.tolist()
    [['inconsistent', '5.18 or 5.21']]
    >>> grim("5.18", 28)["consistency"].item()
    'consistent'
    """
    rounding = _check_rounding(rounding)
    g = sum_grid(mean, n, step, scale_min, scale_max, rounding)
    verdict, possible = _grim_verdict(g)
    reasons, nearest = [], []
    for i in range(g["size"]):
        step_i = Fraction(int(g["p"][i]), int(g["q"][i]))
        n_i, d_i = int(g["counts"][i]), int(g["decimals"][i])
        near = ""
        if g["outside"][i]:
            reason = (f"outside the scale's range {_number(g['low'][i]) if g['low'][i] is not None else '?'}"
                      f" to {_number(g['high'][i]) if g['high'][i] is not None else '?'}")
        elif not g["granular"][i]:
            reason = (f"possible means are {_number(step_i / n_i)} apart with n = {n_i}, no coarser "
                      f"than the {d_i} printed decimal(s): every value can occur")
        elif possible[i]:
            sums = g["candidates"][i][g["valid"][i]]
            reason = f"a sum of {' or '.join(str(int(k)) for k in sums)} grid steps over n = {n_i}"
        else:
            origin = g["low"][i] if g["low"][i] is not None else Fraction(0)
            value = Fraction(str(g["columns"]["mean"][i])) - origin
            below = (value * n_i / step_i).__floor__()
            options = [origin + k * step_i / n_i for k in (below, below + 1) if k >= 0]
            near = " or ".join(_print_as(o, d_i, rounding) for o in options)
            reason = (f"no {n_i} values on a grid of {_number(step_i)} have a mean that prints as "
                      f"{g['columns']['mean'][i]}")
        reasons.append(reason)
        nearest.append(near)
    return pd.DataFrame({
        "mean": g["columns"]["mean"].astype(str), "n": g["counts"],
        "step": _step_text(g["p"], g["q"]), "decimals": g["decimals"],
        "consistency": verdict, "reason": reasons, "nearest": nearest})


# ---------------------------------------------------------------------------------------------
# Exact GRIMMER: which sums of squares can n integers in [0, top] with a given sum have?
# ---------------------------------------------------------------------------------------------
#
# Notation (grid units): n values y in [0, T] (T = top), sum K, sum of squares Q. A value that is
# neither 0 nor T is "interior" and costs y (T - y) > 0; the interior values' total cost is
# C = T K - Q (y**2 = T y - y (T - y)), so Q is achievable exactly when C is, and C = 0 means all
# values at 0 or T. C is unchanged by the reflection y -> T - y (K -> n T - K), so the engine
# works with K' = min(K, n T - K) <= n T / 2. Data are (z zeros, h tops, interior multiset I)
# with z + h + |I| = n and h T + sum(I) = K'. Each of the following is a proof:
#
# 1. Bounds. Q lies between the least and greatest sums of squares, with the parity of K
#    (the analytic GRIMMER of Allard 2018; the caller applies it). Both bounds are attained.
# 2. Chip-firing. Two equal interior values u, u may become u - 1, u + 1: same n, same sum,
#    still on the grid, and Q grows by exactly 2 (C falls by 2). Firing from some data until no
#    interior value is repeated reaches every C of the right parity between the start and the
#    end. Started from the least-Q data (all values K/n rounded down or up), and from the family
#    "h values at T, z at 0, the rest as even as possible", with all pairs of a site fired at
#    once, vectorised over problems.
# 3. Top table: M[s, C], the fewest interior values with sum s and cost C (dynamic programme
#    over the interior values 1..T-1, cached per T, for C up to T**2/2 + 4T; s <= C as
#    y <= y (T - y)). C is achievable exactly when some s = K' - h T (h >= 0) has
#    M[s, C] + h <= n (then z = n - h - M[s, C] >= 0): exact near the greatest Q, where the
#    gaps are.
# 4. Blocks. A partition of T into 2..p parts (each in 1..T-1) may replace one value T and p - 1
#    zeros: n and the sum are unchanged and C grows by the even number d = T**2 - (sum of squared
#    parts). If the top table gives data for every C of the right parity in a window
#    [c0, c0 + 2(T-1)), each with at least j tops and j (p - 1) zeros, then adding up to j blocks
#    reaches every C of that parity from c0 to c0 + 2(T-1) - 2 + j D_p, where D_p is the largest
#    block size reached from 0 through the sorted block sizes by steps of at most 2(T-1) (sums of
#    j block sizes then step by at most the window's width).
# 5. A direct dynamic programme over values (fewest nonzero values with each sum and sum of
#    squares), exact, for what 2-4 leave undecided, within EXACT_DP_BUDGET table cells.
#
# What none of these decides (a window of sums of squares beyond the reach of 2 and 4 and of the
# top table, with a sum too large for the direct programme) keeps the bounds' verdict, and says
# so. A development scan (n 2-100, grids of 2-50 steps, 3.4 million windows, mostly near the
# greatest Q) found no such window; on grids of 51-80 steps, 30 of 1.6 million windows (n 11-22)
# were left to the bounds.

#: Largest top (grid steps from scale_min to scale_max) for which the exact check is run.
EXACT_MAX_TOP = 80
#: Largest n for which the exact check is run (larger n: bounds).
EXACT_MAX_N = 5000
#: Largest work (table cells times top) of the direct dynamic programme of the exact check; its
#: table also has at most _DP_CELLS cells (2 bytes each).
EXACT_DP_BUDGET = 10 ** 9
_DP_CELLS = 4 * 10 ** 7
#: Most rounds of bulk chip-firing per call.
_FIRING_ROUNDS = 20000
#: Partitions of T into at most this many parts are used as blocks.
_BLOCK_PARTS = 24
_UNREACHED = 20000  # larger than any count the tables hold and than EXACT_MAX_N

_TABLES: dict = {}


def _top_limit(top: int) -> int:
    return top * top // 2 + 4 * top


def _top_table(top: int, sums: int) -> np.ndarray:
    """``M[s, C]``: fewest values in ``1..top-1`` with sum ``s`` and cost
    ``sum y (top - y) = C``, for ``s <= sums`` and ``C <= _top_limit(top)`` (int16; at least
    ``_UNREACHED`` where none)."""
    limit = _top_limit(top)
    sums = min(sums, limit)
    cached = _TABLES.get(("top", top))
    if cached is not None and cached.shape[0] > sums:
        return cached
    sums = min(max(sums, 2 * (cached.shape[0] if cached is not None else 0), 4 * top), limit)
    table = np.full((sums + 1, limit + 1), _UNREACHED, dtype=np.int16)
    table[0, 0] = 0
    for y in range(1, top):
        cost = y * (top - y)
        if cost > limit:
            continue
        # ascending blocks of y sums (any number of copies of y); a block's rows depend only on
        # the previous block's, already final
        for s in range(y, sums + 1, y):
            end = min(s + y, sums + 1)
            np.minimum(table[s:end, cost:], table[s - y:end - y, :limit + 1 - cost] + 1,
                       out=table[s:end, cost:])
    _TABLES[("top", top)] = table
    return table


def _block_sizes(top: int) -> np.ndarray:
    """``D[p]`` (p = 0.._BLOCK_PARTS): the largest block size reached from 0 through the sorted
    sizes ``top**2 - sum of squared parts`` of partitions of ``top`` into 2..p parts in
    ``1..top-1``, by steps of at most ``2 (top - 1)`` (0 where there is no block)."""
    key = ("blocks", top)
    if key not in _TABLES:
        most = min(top, _BLOCK_PARTS)
        # squares[c][s]: bitset (bit Q set) of sums of squares of c parts in 1..top-1 adding to s
        squares = [[0] * (top + 1) for _ in range(most + 1)]
        squares[0][0] = 1
        for y in range(1, top):
            for c in range(1, most + 1):
                for s in range(y, top + 1):
                    squares[c][s] |= squares[c - 1][s - y] << (y * y)
        sizes = np.zeros(_BLOCK_PARTS + 1, dtype=np.int64)
        found = 0
        for parts in range(2, _BLOCK_PARTS + 1):
            if parts <= most:
                found |= squares[parts][top]
            values = sorted({0} | {top * top - q for q in range(found.bit_length())
                                   if found >> q & 1})
            reached = 0
            for a, b in zip(values, values[1:]):
                if b - a > 2 * (top - 1):
                    break
                reached = b
            sizes[parts] = reached
        _TABLES[key] = sizes
    return _TABLES[key]


def _value_table(top: int, total: int) -> np.ndarray | None:
    """``F[s, Q]``: fewest values in ``1..top`` with sum ``s`` and sum of squares ``Q``, for
    ``s <= total`` and ``Q <= top * total`` (at least ``_UNREACHED`` where none), or None when
    that exceeds :data:`EXACT_DP_BUDGET`."""
    cached = _TABLES.get(("values", top))
    if cached is not None and cached.shape[0] > total:
        return cached  # row s is the same in any larger table
    width = top * total + 1
    if (total + 1) * width * top > EXACT_DP_BUDGET or (total + 1) * width > _DP_CELLS:
        return None
    dtype = np.int16 if total < 10000 else np.int32  # counts grow by at most total
    table = np.full((total + 1, width), _UNREACHED, dtype=dtype)
    table[0, 0] = 0
    for y in range(1, min(top, total) + 1):
        square = y * y
        for s in range(y, total + 1, y):  # ascending blocks of y sums, as in _top_table
            end = min(s + y, total + 1)
            np.minimum(table[s:end, square:], table[s - y:end - y, :width - square] + 1,
                       out=table[s:end, square:])
    for key in [key for key in _TABLES if key[0] == "values"]:
        del _TABLES[key]  # keep one such table (the largest are tens of megabytes)
    _TABLES[("values", top)] = table
    return table


def _chip_fire(n, top, total, target, heads=None, spread=None):
    """Bulk chip-firing (fact 2) of problems given as arrays: ``n`` values in ``[0, top]`` adding
    to ``total``. They start with ``heads`` (default none) at ``top`` and the rest as even as
    possible (each of ``base = rest // free`` or ``base + 1``); with ``spread = (d, pairs)``,
    ``pairs`` pairs of values at ``base`` are first moved to ``base - d`` and ``base + d`` (same
    sum, sum of squares up by ``2 d**2`` a pair). Fires until the cost ``top * total - Q`` is at
    most ``target`` or no move is left; returns the starting and the reached costs: every cost of
    the parity in between is achievable."""
    rows = n.size
    if rows == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    heads = np.zeros(rows, dtype=np.int64) if heads is None else heads
    width = int(top.max()) + 2
    free, rest = n - heads, total - heads * top
    base, extra = rest // free, rest % free
    sites = np.zeros((rows, width), dtype=np.int64)
    index = np.arange(rows)
    np.add.at(sites, (index, base), free - extra)
    np.add.at(sites, (index, base + 1), extra)
    np.add.at(sites, (index, top), heads)
    start = top * total - (heads * top * top + (free - extra) * base * base
                           + extra * (base + 1) ** 2)
    if spread is not None:
        distance, pairs = spread
        np.add.at(sites, (index, base), -2 * pairs)
        np.add.at(sites, (index, np.maximum(base - distance, 0)), pairs)
        np.add.at(sites, (index, np.minimum(base + distance, top)), pairs)
        start = start - 2 * pairs * distance * distance
    interior = (np.arange(width)[None, :] >= 1) & (np.arange(width)[None, :] < top[:, None])
    cost = start.copy()
    live = np.flatnonzero(cost > target)  # the problems still firing, compacted now and then
    chips, inside, goal, now = sites[live], interior[live], target[live], cost[live]
    for _ in range(_FIRING_ROUNDS):
        if live.size == 0:
            break
        fire = np.where(inside, chips >> 1, 0)
        moves = fire.sum(axis=1)
        chips -= 2 * fire
        chips[:, :-1] += fire[:, 1:]
        chips[:, 1:] += fire[:, :-1]
        now -= 2 * moves
        going = (moves > 0) & (now > goal)
        if not going.all():
            cost[live] = now
            live, chips, inside, goal, now = (live[going], chips[going], inside[going],
                                              goal[going], now[going])
    cost[live] = now
    return start, cost


def _spread_start(n, top, total, target):
    """For :func:`_chip_fire`: the ``(d, pairs)`` whose move brings the least-Q data's cost down
    the most without passing ``target`` (so firing then has little left to do)."""
    base, extra = total // n, total % n
    least = (n - extra) * base * base + extra * (base + 1) ** 2
    room = np.maximum(top * total - least - target, 0) // 2  # in units of 2 of Q, so Q gain / 2
    reach = np.minimum(base, top - base)
    available = (n - extra) // 2
    best_gain = np.zeros(n.size, dtype=np.int64)
    best = (np.zeros(n.size, dtype=np.int64), np.zeros(n.size, dtype=np.int64))
    for d in range(1, int(reach.max(initial=0)) + 1):
        pairs = np.where(d <= reach, np.minimum(available, room // (d * d)), 0)
        gain = pairs * d * d
        better = gain > best_gain
        best_gain = np.where(better, gain, best_gain)
        best = (np.where(better, d, best[0]), np.where(better, pairs, best[1]))
    return best


def _exact_window(n, top, total, q_first, q_last) -> np.ndarray:
    """For each problem (n values in [0, top], grid units, adding to ``total``; ``q_first <=
    q_last`` sums of squares with the parity of the total, inside the analytic bounds): 1 when
    some data have a sum of squares in the window, 0 when none has, -1 when undecided (the
    caller keeps the bounds' verdict)."""
    n, top, total, q_first, q_last = (np.asarray(a, dtype=np.int64)
                                      for a in (n, top, total, q_first, q_last))
    out = np.full(n.shape, -1, dtype=np.int8)
    # the window as costs C = top * total - Q (all of the parity (top - 1) * total)
    c_low, c_high = top * total - q_last, top * total - q_first
    reflected = np.minimum(total, n * top - total)
    trivial = top <= 1  # values 0 and 1 only: Q = K, the bounds are exact
    out[trivial] = 1
    todo = np.flatnonzero(~trivial)
    # Firing from the least-Q data after one spreading move (fast: little is left to fire),
    # then, for the windows that did not reach, from the least-Q data itself.
    for spread in (True, False):
        if todo.size == 0:
            return out
        args = (n[todo], top[todo], reflected[todo], c_high[todo])
        _, reached = _chip_fire(*args, spread=_spread_start(*args) if spread else None)
        fired = reached <= c_high[todo]
        out[todo[fired]] = 1
        todo = todo[~fired]
    for i in todo:
        out[i] = _exact_near_top(int(n[i]), int(top[i]), int(reflected[i]), int(c_low[i]),
                                 int(c_high[i]))
    return out


def _exact_near_top(n: int, top: int, total: int, c_low: int, c_high: int) -> int:
    """One window of costs ``[c_low, c_high]`` (``total`` reflected to at most n top / 2) that
    chip-firing from the least-Q data did not reach: facts 3, 4, 2 (family), then 5."""
    achievable, limit, covered = _near_top(n, top, total)
    low, high = max(c_low, 0), min(c_high, limit)
    if low <= high and achievable[low:high + 1].any():
        return 1
    if c_high <= limit:
        return 0
    start = max(c_low, limit + 1)
    start += (start - c_high) % 2  # the first cost of the window's parity above the limit
    if start <= min(c_high, covered):  # blocks: every cost of the parity up to covered
        return 1
    starts, ends = _firing_family(n, top, total)
    if ((ends <= c_high) & (starts >= c_low)).any():
        return 1
    values = _value_table(top, total)
    if values is None:
        return -1
    row = values[total]  # fewest nonzero values; zeros make up the rest of n
    q_low, q_high = top * total - c_high, top * total - c_low
    return int((row[max(q_low, 0):q_high + 1] <= n).any())


@functools.lru_cache(maxsize=4096)
def _near_top(n: int, top: int, total: int) -> tuple[np.ndarray, int, int]:
    """Facts 3 and 4 for one problem: the costs up to the top table's limit that data achieve
    (boolean array, exact), the limit, and the cost up to which blocks prove every cost of the
    parity achievable (-1 if none)."""
    limit = _top_limit(top)
    table = _top_table(top, total)
    sums = np.arange(total % top, min(total, limit) + 1, top)  # interior sums s = total - h top
    heads = (total - sums) // top
    fewest = table[sums].astype(np.int64)
    usable = fewest + heads[:, None] <= n  # (s, C): data with this interior exist
    achievable = usable.any(axis=0)
    parity = ((top - 1) * total) % 2
    achievable[(np.arange(limit + 1) % 2) != parity] = False
    achievable.setflags(write=False)
    costs = np.arange(parity, limit + 1, 2)
    span = top - 1  # costs of the parity in a window of width 2 (top - 1)
    covered = -1
    if costs.size >= span and sums.size:
        valid = usable[:, costs]
        zeros = n - fewest[:, costs] - heads[:, None]
        sizes = _block_sizes(top)
        for parts in range(2, _BLOCK_PARTS + 1):
            if sizes[parts] == 0:
                continue
            blocks = np.where(valid, np.minimum(heads[:, None], zeros // (parts - 1)), -1)
            windows = np.lib.stride_tricks.sliding_window_view(blocks.max(axis=0), span).min(axis=1)
            ok = windows >= 0
            if ok.any():
                reach = costs[:windows.size] + 2 * (top - 1) - 2 + windows * sizes[parts]
                covered = max(covered, int(reach[ok].max()))
    return achievable, limit, covered


@functools.lru_cache(maxsize=1024)
def _firing_family(n: int, top: int, total: int) -> tuple[np.ndarray, np.ndarray]:
    """Fact 2 from the starts "h values at top, z at 0, the rest as even as possible" (every h
    and z up to 100 and 200 values of each, evenly spaced, beyond): the starting and the final
    costs of each run."""
    heads = np.unique(np.linspace(0, total // top, min(total // top + 1, 100)).astype(np.int64))
    zeros = np.unique(np.linspace(0, n - 1, min(n, 200)).astype(np.int64))
    heads, zeros = np.meshgrid(heads, zeros, indexing="ij")
    heads, zeros = heads.ravel(), zeros.ravel()
    free = n - heads - zeros
    keep = (free >= 1) & (total - heads * top <= free * top)
    heads, zeros, free = heads[keep], zeros[keep], free[keep]
    size = heads.size
    # the z zeros are left out: they never move, and costs are counted on the other values
    start, end = _chip_fire(free + heads, np.full(size, top), np.full(size, total),
                            np.full(size, -1), heads=heads)
    return start, end


# ---------------------------------------------------------------------------------------------
# GRIMMER and DEBIT
# ---------------------------------------------------------------------------------------------

def _grimmer_verdict(g: dict, sd, rounding: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """GRIMMER's verdict, reason and method (``exact`` or ``bounds``) for each row of a
    :func:`_grid`."""
    sd = np.atleast_1d(np.asarray(sd, dtype=object))
    s_units, s_decimals, s_sign = parse_printed(sd, "sd")
    if (s_sign < 0).any() and (s_units[s_sign < 0] > 0).any():
        bad = sd[int(np.flatnonzero((s_sign < 0) & (s_units > 0))[0])]
        raise ValueError(f"sd {bad!r} is negative: an SD cannot be negative")
    counts = g["counts"]
    if (counts < 2).any():
        raise ValueError("an SD needs n of at least 2")
    candidates, valid = g["candidates"], g["valid"]
    # Sample SD in printed units T: ((2T -/+ 1) / (2 * 10**ds))**2 <=/< (p/q)**2 (nQ - K**2) /
    # (n(n-1)) => Q >= (q**2 n (n-1) (2T-1)**2 + 4 p**2 10**(2ds) K**2) / (4 p**2 10**(2ds) n)
    s_power = 10 ** s_decimals
    magnitude = float(np.max(g["q"].astype(float) ** 2 * counts.astype(float) ** 2
                             * (2 * s_units.astype(float) + 1) ** 2, initial=1)) + \
        float(np.max(4 * g["p"].astype(float) ** 2 * s_power.astype(float) ** 2 * counts
                     * (np.abs(candidates).max(axis=1) + 1).astype(float) ** 2, initial=1))
    p, q, n64, target, s_pow, k, top = _integers(
        g["p"], g["q"], counts, s_units, s_power, candidates, g["top"], magnitude=magnitude)
    p, q, n64, target, s_pow, top = (a[:, None] for a in (p, q, n64, target, s_pow, top))
    scale = 4 * p * p * s_pow * s_pow
    base = scale * k * k
    spread = q * q * n64 * (n64 - 1)
    low_num = spread * np.maximum(2 * target - 1, 0) ** 2 + base
    high_num = spread * (2 * target + 1) ** 2 + base
    denominator = scale * n64
    even = (target % 2) == 0
    lower_inclusive = np.full(target.shape, rounding in ("half_up", "either")) | even
    upper_inclusive = np.full(target.shape, rounding == "either") | \
        ((rounding == "half_even") & even)
    q_lo = _ceil_div(low_num, denominator)
    q_lo = q_lo + ((target > 0) & ~lower_inclusive & (low_num % denominator == 0))
    q_hi = high_num // denominator
    q_hi = q_hi - (~upper_inclusive & (high_num % denominator == 0))
    # least and greatest sums of squares of n integers in [0, top] adding to K
    k_safe = np.maximum(k, 0)
    base_value, extra = k_safe // n64, k_safe % n64
    least = (n64 - extra) * base_value * base_value + extra * (base_value + 1) ** 2
    has_top = g["has_top"][:, None]
    top_safe = np.where(top > 0, top, 1)
    full, rest = k_safe // top_safe, k_safe % top_safe
    greatest = np.where(top > 0, full * top * top + rest * rest, 0)
    lo = np.maximum(q_lo, least)
    hi = np.where(has_top, np.minimum(q_hi, greatest), q_hi)
    first = lo + ((lo - k_safe) % 2)
    fits = valid & (first <= hi)
    sd_too_large = valid & has_top & (q_lo > greatest)
    possible = fits.any(axis=1)
    mean_ok = valid.any(axis=1)
    # The exact check (see "Exact GRIMMER" above) on every candidate sum the bounds let through.
    tops = np.asarray(g["top"]).astype(np.int64)
    has_scale_max = np.asarray(g["has_top"], dtype=bool)
    counts64 = np.asarray(counts).astype(np.int64)
    eligible = has_scale_max & (tops <= EXACT_MAX_TOP) & (counts64 <= EXACT_MAX_N)
    why_not = np.where(~has_scale_max, "no scale maximum given, so no exact check",
                       np.where(tops > EXACT_MAX_TOP,
                                f"the grid has more than {EXACT_MAX_TOP} steps, the exact check's "
                                "limit", np.where(counts64 > EXACT_MAX_N,
                                                  f"n above the exact check's limit of "
                                                  f"{EXACT_MAX_N}", ""))).astype(object)
    status = np.where(fits, -1, 0).astype(np.int8)  # 1 achievable, 0 not, -1 not decided
    cells = np.argwhere(fits & eligible[:, None])
    if cells.size:
        r, c = cells[:, 0], cells[:, 1]
        status[r, c] = _exact_window(
            counts64[r], tops[r],
            np.asarray(k_safe[r, c], dtype=np.int64), np.asarray(first[r, c], dtype=np.int64),
            np.asarray(hi[r, c], dtype=np.int64))
    found = (status == 1).any(axis=1) & eligible
    undecided = (status == -1).any(axis=1) & eligible & ~found
    why_not[undecided] = "the exact check was too expensive here"
    method = np.where(eligible & ~undecided, "exact", "bounds")
    exact_rows = method == "exact"
    # a bounded-grid row the bounds pass but the exact check refutes
    refuted = exact_rows & possible & ~found
    passes = np.where(exact_rows, found, possible)
    grim_fail = ~mean_ok | g["outside"]
    verdict = np.where(grim_fail, INCONSISTENT,
                       np.where(passes, CONSISTENT,
                                np.where(g["too_coarse"], UNVERIFIABLE, INCONSISTENT)))
    bounds_reason = np.where(
        sd_too_large.any(axis=1) & ~(valid & ~sd_too_large & (q_lo <= q_hi)).any(axis=1),
        "SD larger than any data within the scale's range allow",
        "no sum of squares with the parity of the sum gives this SD")
    bounds_only = np.array([f" ({why})" if why else "" for why in why_not], dtype=object)
    reasons = np.where(
        grim_fail, "the mean itself is impossible (GRIM)",
        np.where(passes & exact_rows, "some integer data on the grid give this mean and SD "
                                      "(exact check)",
                 np.where(passes, "the SD passes the analytic bounds (parity and range of the "
                                  "sum of squares), a necessary condition only" + bounds_only,
                          np.where(g["too_coarse"], "the mean allows too many sums to test",
                                   np.where(refuted,
                                            "no achievable data give this SD: the sums of squares "
                                            "the analytic bounds allow are not reached by any n "
                                            "integers on the grid (exact check)",
                                            np.where(exact_rows, bounds_reason + " (exact check)",
                                                     bounds_reason))))))
    return verdict, reasons.astype(str), method


def grimmer(mean, sd, n, step=1, *, rounding: str = "either", scale_min=None, scale_max=None
            ) -> pd.DataFrame:
    """GRIMMER: can a mean and a standard deviation printed this way arise from ``n`` values on a
    grid of ``step``?

    In grid units (``y = (x - scale_min) / step``, integers from 0 to ``top``), a candidate sum
    ``K`` from GRIM and a sum of squares ``Q`` give the sample SD
    ``step * sqrt((n Q - K**2) / (n (n - 1)))``.

    *Analytic bounds (necessary, always applied).* The SD passes when some integer ``Q`` with the
    parity of ``K`` (``y**2`` and ``y`` have the same parity) prints as the SD and lies between
    the least and the greatest sum of squares that ``K`` allows within ``[0, top]``. Failing them
    is a proof of inconsistency; passing them is not a proof of consistency: such a ``Q`` need
    not be the sum of squares of any n integers in ``[0, top]`` adding to ``K``.

    *Exact check (necessary and sufficient).* When ``scale_max`` is given, the grid has at most
    :data:`EXACT_MAX_TOP` steps and ``n`` is at most :data:`EXACT_MAX_N`, GRIMMER then decides for
    each candidate ``K`` whether some n integers in ``[0, top]`` with sum ``K`` have a sum of
    squares that prints as the SD: ``consistent`` then means such data exist and
    ``inconsistent`` that none do, even where the bounds pass (the reason then says that no
    achievable data give this SD). The check enumerates achievable sums of squares only where
    they have gaps, near the greatest (elsewhere every ``Q`` of the parity is reached by moves
    that keep n, the sum and the grid and add exactly 2 to ``Q``; see the comments above
    :func:`_exact_window`); a window it cannot settle within :data:`EXACT_DP_BUDGET` keeps the
    bounds' verdict. ``method`` says which decided: ``exact`` or ``bounds`` (no ``scale_max``:
    the grid is unbounded; or beyond those limits), and the reason says why.

    The SD's rounding follows ``rounding`` as for the mean (the SD is never negative).

    Parameters
    ----------
    mean, sd : str or sequence of str
        As printed.
    n, step, rounding, scale_min, scale_max
        As in :func:`grim`.

    Returns
    -------
    pandas.DataFrame
        ``mean, sd, n, step, consistency, reason, method``. Where the mean fails GRIM, GRIMMER
        fails too.

    Examples
    --------
    Five integers 1, 2, 3, 4, 5: mean 3.00, sample SD sqrt(2.5) = 1.58.

    >>> grimmer("3.00", "1.58", 5)["consistency"].item()
    'consistent'
    >>> grimmer("3.00", "1.59", 5)["consistency"].item()
    'inconsistent'

    Two answers on a 1-5 scale with mean 3.0: only (1, 5), (2, 4) and (3, 3), SDs 2.83, 1.41 and
    0. SD 2 passes the analytic bounds (sums of squares 12 or 14 in grid units, i.e. of 0-4) but
    no data give it; without ``scale_max`` only the bounds apply.

    >>> grimmer("3.0", "2", 2, scale_min=1, scale_max=5)[["consistency", "method"]].values.tolist()
    [['inconsistent', 'exact']]
    >>> grimmer("3.0", "2", 2, scale_min=1)[["consistency", "method"]].values.tolist()
    [['consistent', 'bounds']]
    """
    rounding = _check_rounding(rounding)
    columns = _broadcast(mean=mean, sd=sd, n=n)
    g = sum_grid(columns["mean"], columns["n"], step, scale_min, scale_max, rounding)
    verdict, reasons, method = _grimmer_verdict(g, columns["sd"], rounding)
    counts = g["counts"]
    return pd.DataFrame({
        "mean": columns["mean"].astype(str), "sd": columns["sd"].astype(str), "n": counts,
        "step": _step_text(g["p"], g["q"]), "consistency": verdict, "reason": reasons,
        "method": method})


def debit(mean, sd, n, *, rounding: str = "either") -> pd.DataFrame:
    """DEBIT: are the mean (a proportion, 0 to 1) and SD of binary data consistent with ``n``?

    For 0/1 data the sum of squares equals the sum, so DEBIT is :func:`grimmer` on a grid of 1
    with bounds 0 and 1 (the sample SD is ``sqrt(n p (1 - p) / (n - 1))``).

    Examples
    --------
    20 ones among 50: proportion 0.40, sample SD 0.49.

    >>> debit("0.40", "0.49", 50)["consistency"].item()
    'consistent'
    >>> debit("0.40", "0.45", 50)["consistency"].item()
    'inconsistent'
    """
    return grimmer(mean, sd, n, 1, rounding=rounding, scale_min=0, scale_max=1)


# ---------------------------------------------------------------------------------------------
# Percentages, totals, ranges
# ---------------------------------------------------------------------------------------------

def percentage(count, total, percent, *, rounding: str = "either") -> pd.DataFrame:
    """Does ``count`` out of ``total`` print as ``percent``?

    Returns ``count, total, percent, recomputed`` (half-up, to the printed decimals),
    ``consistency``, ``reason`` and ``possible_if``; when no rounding to the nearest reproduces the
    printed value, the reason says whether rounding down or up (truncation, ceiling) would, and
    ``possible_if`` names that rounding (empty when none does).

    Examples
    --------
    >>> percentage(4, 30, "13.3")["consistency"].item()
    'consistent'
    >>> row = percentage(4, 30, "13.4").iloc[0]
    >>> row["consistency"], row["reason"]
    ('inconsistent', '4/30 = 13.333...% prints as 13.3; 13.4 is that value rounded up (ceiling)')
    >>> row["possible_if"]
    'the percentage is rounded up (ceiling)'
    """
    rounding = _check_rounding(rounding)
    columns = _broadcast(count=count, total=total, percent=percent)
    counts = _counts(columns["count"], "count", minimum=0)
    totals = _counts(columns["total"], "total", minimum=1)
    units, decimals, sign = parse_printed(columns["percent"], "percent")
    if (counts > totals).any():
        i = int(np.flatnonzero(counts > totals)[0])
        raise ValueError(f"count {counts[i]} is larger than its total {totals[i]} (position {i})")
    ok = _rounds_to(100 * counts, totals, units, 10 ** decimals, rounding) & (sign > 0)
    consistency, reasons, recomputed, readings = [], [], [], []
    for i in range(len(counts)):
        d = int(decimals[i])
        exact = Fraction(100 * int(counts[i]), int(totals[i]))
        shown = _round_half_up(exact, d)
        recomputed.append(shown)
        described = f"{counts[i]}/{totals[i]} = {_describe_exact(exact)}%"
        if ok[i]:
            consistency.append(CONSISTENT)
            reasons.append(f"{described}")
            readings.append("")
            continue
        consistency.append(INCONSISTENT)
        scaled = exact * 10 ** d
        target = int(units[i]) * int(sign[i])
        reading = ""
        if scaled.__floor__() == target:
            how = f"; {columns['percent'][i]} is that value rounded down (truncated)"
            reading = "the percentage is truncated (rounded down)"
        elif scaled.__ceil__() == target:
            how = f"; {columns['percent'][i]} is that value rounded up (ceiling)"
            reading = "the percentage is rounded up (ceiling)"
        else:
            how = f"; no rounding of it gives {columns['percent'][i]}"
        reasons.append(f"{described} prints as {shown}{how}")
        readings.append(reading)
    return pd.DataFrame({"count": counts, "total": totals,
                         "percent": columns["percent"].astype(str), "recomputed": recomputed,
                         "consistency": consistency, "reason": reasons,
                         "possible_if": readings})


def _round_half_up(value: Fraction, decimals: int) -> str:
    scaled = value * 10 ** decimals
    rounded = (scaled + Fraction(1, 2)).__floor__() if scaled >= 0 else \
        -((-scaled + Fraction(1, 2)).__floor__())
    text = f"{abs(rounded):0{decimals + 1}d}"
    body = f"{text[:-decimals]}.{text[-decimals:]}" if decimals else text
    return ("-" if rounded < 0 else "") + body


def _print_as(value: Fraction, decimals: int, rounding: str) -> str:
    """``value`` printed with ``decimals``: half to even under ``half_even``, else half away from
    zero."""
    if rounding != "half_even":
        return _round_half_up(value, decimals)
    scaled = value * 10 ** decimals
    floor = scaled.__floor__()
    twice = 2 * (scaled - floor)
    rounded = floor + (1 if twice > 1 or (twice == 1 and floor % 2 == 1) else 0)
    text = f"{abs(rounded):0{decimals + 1}d}"
    body = f"{text[:-decimals]}.{text[-decimals:]}" if decimals else text
    return ("-" if rounded < 0 else "") + body


def _describe_exact(value: Fraction) -> str:
    if (value * 1000).denominator == 1:
        return _number(value, 6) if value.denominator != 1 else str(value.numerator)
    return f"{float(value):.3f}..."


def adds_up(parts, total, *, printed_decimals: int | None = None) -> dict:
    """Do ``parts`` add to ``total``?

    With ``printed_decimals`` (rounded percentages), the sum may differ from ``total`` by up to half
    a printed unit per part; counts must add exactly.

    Examples
    --------
    >>> adds_up([12, 5, 5, 1, 1, 6], 30)["consistency"]
    'consistent'
    >>> adds_up(["26.6", "20.1", "30.1", "3.3", "6.7", "13.4"], 100, printed_decimals=1)["reason"]
    'the parts add to 100.2; rounding each of 6 parts to 1 decimal(s) allows 100 +/- 0.3'
    """
    if printed_decimals is None:
        values = _counts(parts, "part", minimum=0)
        added = int(values.sum())
        ok = added == int(total)
        reason = f"the parts add to {added}" + ("" if ok else f", not {total}")
    else:
        units, decimals, sign = parse_printed(parts, "part")
        added = Fraction(int((units * sign).sum()), 10 ** printed_decimals)
        tolerance = Fraction(len(units), 2 * 10 ** printed_decimals)
        ok = abs(added - Fraction(str(total))) <= tolerance
        reason = (f"the parts add to {_round_half_up(added, printed_decimals)}; rounding each of "
                  f"{len(units)} parts to {printed_decimals} decimal(s) allows {total} +/- "
                  f"{_round_half_up(tolerance, printed_decimals)}")
    return {"consistency": CONSISTENT if ok else INCONSISTENT, "reason": reason,
            "sum": str(added)}


def within(value, low, high, *, what: str = "value") -> pd.DataFrame:
    """Is each printed ``value`` inside ``[low, high]``? (a mean in its printed range, a median in
    its range, a range inside the scale).

    Examples
    --------
    >>> within("1.4", "2", "4", what="mean")[["consistency", "reason"]].values.tolist()
    [['inconsistent', 'mean 1.4 lies below the minimum 2']]
    """
    columns = _broadcast(value=value, low=low, high=high)
    consistency, reasons = [], []
    for v, lo, hi in zip(columns["value"], columns["low"], columns["high"]):
        number = Fraction(str(v))
        if lo is not None and number < Fraction(str(lo)):
            consistency.append(INCONSISTENT)
            reasons.append(f"{what} {v} lies below the minimum {lo}")
        elif hi is not None and number > Fraction(str(hi)):
            consistency.append(INCONSISTENT)
            reasons.append(f"{what} {v} lies above the maximum {hi}")
        else:
            consistency.append(CONSISTENT)
            reasons.append(f"{what} {v} lies within {lo} to {hi}")
    return pd.DataFrame({"value": columns["value"].astype(str), "low": columns["low"],
                         "high": columns["high"], "consistency": consistency, "reason": reasons})


def max_sd(mean, n, scale_min, scale_max) -> float:
    """The largest sample SD that ``n`` values in ``[scale_min, scale_max]`` with this mean can
    have: ``sqrt(n/(n-1) (mean - min)(max - mean))`` (all values at the bounds).

    Examples
    --------
    >>> round(max_sd(2.5, 10, 1, 4), 4)
    1.5811
    """
    mean, low, high = float(mean), float(scale_min), float(scale_max)
    return float(np.sqrt(n / (n - 1) * max(mean - low, 0) * max(high - mean, 0)))


def _half_unit(text: str) -> Fraction:
    """Half a unit of the last printed decimal of ``text`` ("62.6" -> 1/20, "64" -> 1/2)."""
    digits = len(text.split(".")[1]) if "." in text else 0
    return Fraction(1, 2 * 10 ** digits)


def range_checks(*, low=None, high=None, mean=None, median=None, sd=None, n=None
                 ) -> pd.DataFrame:
    """Is a printed summary possible given its printed range? ``min <= max``, the mean and the
    median within ``[min, max]``, and the SD no larger than the range allows.

    Every argument is the number as printed (text, so that its decimals are known; ``None`` or
    ``""`` where not printed), ``n`` the number of values. A check runs only where its inputs are
    printed. Each printed number is taken as the true value rounded to its printed decimals, so a
    row is ``inconsistent`` only when no true values inside those rounding intervals satisfy it
    (a proof under that assumption), else ``consistent``.

    The SD bound: for ``n`` values in ``[a, b]`` with mean ``m``, every value satisfies
    ``(x - a)(b - x) >= 0``, i.e. ``x**2 <= (a + b) x - a b``; summing, ``sum (x - m)**2 <= n (m -
    a)(b - m)``, so the sample SD is at most ``sqrt(n / (n - 1) (m - a)(b - m))`` (the
    Bhatia-Davis inequality: Bhatia R, Davis C. A better bound on the variance. Am Math Mon
    2000;107(4):353-357; equality when every value lies at ``a`` or ``b``). Over the rounding
    intervals the bound is largest at the widest range and the mean nearest its middle.

    Returns
    -------
    pandas.DataFrame
        One row per check that ran: ``check`` (``min at most max``, ``mean within range``,
        ``median within range``, ``SD within range bound``), ``column`` (the number it is about:
        ``min``, ``mean``, ``median``, ``sd``), ``consistency``, ``recomputed`` and ``reason``.

    Examples
    --------
    >>> table = range_checks(low="64", high="77", mean="62.6", sd="8.0", n=35)
    >>> table[["check", "consistency"]].values.tolist()
    [['min at most max', 'consistent'], ['mean within range', 'inconsistent'], ['SD within range bound', 'unverifiable']]
    >>> range_checks(low="0", high="10", mean="5.0", sd="5.5", n=2)["consistency"].tolist()
    ['consistent', 'consistent', 'consistent']
    >>> range_checks(low="0", high="10", mean="5.0", sd="8.0", n=2)["consistency"].tolist()
    ['consistent', 'consistent', 'inconsistent']
    """
    given = {k: (str(v) if v is not None and str(v) != "" else None)
             for k, v in dict(low=low, high=high, mean=mean, median=median, sd=sd).items()}
    value = {k: Fraction(v) for k, v in given.items() if v is not None}
    half = {k: _half_unit(v) for k, v in given.items() if v is not None}
    rows = []

    def add(check, column, ok, recomputed, reason):
        rows.append(dict(check=check, column=column, consistency=ok, recomputed=recomputed,
                         reason=reason))

    lo = value["low"] - half["low"] if "low" in value else None
    hi = value["high"] + half["high"] if "high" in value else None
    if lo is not None and hi is not None:
        ok = value["low"] - half["low"] <= value["high"] + half["high"]
        add("min at most max", "min", CONSISTENT if ok else INCONSISTENT,
            f"{given['low']} to {given['high']}",
            f"the minimum {given['low']} {'is at most' if ok else 'exceeds'} the maximum "
            f"{given['high']}")
    for column in ("mean", "median"):
        if column not in value or (lo is None and hi is None):
            continue
        below = lo is not None and value[column] + half[column] < lo
        above = hi is not None and value[column] - half[column] > hi
        where = ("below the minimum " + given["low"] if below else
                 "above the maximum " + given["high"] if above else
                 f"within {given['low'] or '-inf'} to {given['high'] or 'inf'}")
        add(f"{column} within range", column, INCONSISTENT if below or above else CONSISTENT,
            "", f"{column} {given[column]} lies {where}"
            + (" even at the ends of the rounding intervals" if below or above else ""))
    if all(k in value for k in ("low", "high", "mean", "sd")) and n is not None and int(n) > 1:
        count = int(n)
        m_lo, m_hi = max(value["mean"] - half["mean"], lo), min(value["mean"] + half["mean"], hi)
        if m_lo > m_hi or lo > hi:
            add("SD within range bound", "sd", UNVERIFIABLE, "",
                "no mean inside the rounding interval lies in the range, so no bound applies")
        else:
            middle = min(max((lo + hi) / 2, m_lo), m_hi)
            square = Fraction(count, count - 1) * (middle - lo) * (hi - middle)
            sd_low = max(value["sd"] - half["sd"], Fraction(0))
            bound = float(np.sqrt(float(square)))
            ok = sd_low * sd_low <= square
            add("SD within range bound", "sd", CONSISTENT if ok else INCONSISTENT,
                f"at most {bound:.3g}",
                f"{count} values in [{given['low']}, {given['high']}] with mean "
                f"{given['mean']} have an SD of at most {bound:.3g} (widest rounding); "
                f"printed {given['sd']}")
    return pd.DataFrame(rows, columns=["check", "column", "consistency", "recomputed", "reason"])


# ---------------------------------------------------------------------------------------------
# n-inference
# ---------------------------------------------------------------------------------------------

def infer_n(mean, sd=None, *, n_range=(5, 100), step=1, rounding: str = "either",
            scale_min=None, scale_max=None) -> pd.DataFrame:
    """The sample sizes in ``n_range`` with which each printed mean (and SD) is consistent.

    One vectorised call of :func:`grim` (or :func:`grimmer`) over every row and every n. With an
    SD, the verdict at each n is :func:`grimmer`'s, exact check included (it is cheap: most
    windows are settled by chip-firing moves, vectorised over every row and n, and the tables it
    builds are cached per grid).

    Returns
    -------
    pandas.DataFrame
        One row per input: ``mean`` (and ``sd``), ``consistent_n`` (compact text such as
        ``"7, 14, 21-30"``), ``n_consistent`` (how many), ``informative`` (False when the check
        cannot test at any n in the window: every n is then listed but proves nothing) and, with
        an SD, ``method``: ``exact`` when GRIMMER's exact check decided at every n, else
        ``bounds`` (at some n only the analytic bounds applied, so the list may include n that no
        data fit).

    Examples
    --------
    >>> infer_n("5.19", n_range=(25, 30))["consistent_n"].item()
    '26, 27'
    """
    rounding = _check_rounding(rounding)
    low_n, high_n = (int(v) for v in n_range)
    if low_n < 2 or high_n < low_n:
        raise ValueError(f"n_range must be (low, high) with 2 <= low <= high, got {n_range}")
    means = np.atleast_1d(np.asarray(mean, dtype=object))
    sizes = np.arange(low_n, high_n + 1)
    rows = means.size
    steps = np.atleast_1d(np.asarray(step, dtype=object))
    expanded = dict(n=np.tile(sizes, rows),
                    step=np.repeat(steps, sizes.size) if steps.size == rows else step,
                    scale_min=_expand(scale_min, rows, sizes.size),
                    scale_max=_expand(scale_max, rows, sizes.size))
    grid = sum_grid(np.repeat(means, sizes.size), expanded["n"], expanded["step"],
                 expanded["scale_min"], expanded["scale_max"], rounding)
    if sd is None:
        verdict, _ = _grim_verdict(grid)
    else:
        sds = np.atleast_1d(np.asarray(sd, dtype=object))
        verdict, _, method = _grimmer_verdict(grid, np.repeat(sds, sizes.size), rounding)
    result = pd.DataFrame({"n": grid["counts"], "consistency": verdict})
    if sd is not None:
        result["method"] = method
    result["row"] = np.repeat(np.arange(rows), sizes.size)
    out = []
    for row, group in result.groupby("row", sort=True):
        good = group.loc[group["consistency"] != INCONSISTENT, "n"].tolist()
        record = {"mean": str(means[row])}
        if sd is not None:
            record["sd"] = str(np.atleast_1d(np.asarray(sd, dtype=object))[row])
        record.update(consistent_n=compact_ranges(good), n_consistent=len(good),
                      informative=bool((group["consistency"] != UNVERIFIABLE).any()))
        if sd is not None:
            record["method"] = "exact" if (group["method"] == "exact").all() else "bounds"
        out.append(record)
    return pd.DataFrame(out)


def _expand(value, rows: int, per_row: int):
    array = np.atleast_1d(np.asarray(value, dtype=object))
    return np.repeat(array, per_row) if array.size == rows and rows > 1 else value


def compact_ranges(values) -> str:
    """``[5, 6, 7, 9]`` -> ``"5-7, 9"``.

    Examples
    --------
    >>> compact_ranges([5, 6, 7, 9, 12, 13])
    '5-7, 9, 12, 13'
    """
    values = sorted(int(v) for v in values)
    runs, start = [], None
    for i, v in enumerate(values):
        if start is None:
            start = v
        if i + 1 == len(values) or values[i + 1] != v + 1:
            runs.append(str(start) if v == start else
                        f"{start}, {v}" if v == start + 1 else f"{start}-{v}")
            start = None
    return ", ".join(runs)


def module_item_counts(possible: dict, module_size: int) -> dict:
    """What the size of a module allows its scales' item counts jointly, when its scales do not
    share items (each item belongs to one scale, as the EORTC modules are designed): the item
    counts add up to at most ``module_size``.

    ``possible`` maps each scale to the item counts it may have on its own (any iterable of
    positive integers; empty when none). Returns a dict:

    - ``minimum``: the fewest items the scales need together (the sum of each scale's smallest
      count), ``None`` when some scale has no possible count;
    - ``feasible``: whether some choice of one count per scale adds up to at most
      ``module_size``;
    - ``allowed``: for each scale, the counts it may still have: a count ``k`` is allowed when
      ``k`` plus the smallest counts of the other scales is at most ``module_size`` (the sum is
      the only joint constraint, so that choice is the one that leaves ``k`` the most room);
      every set is empty when the scales are not feasible together;
    - ``others_need``: for each scale, the fewest items the other scales need together.

    Examples
    --------
    >>> joint = module_item_counts({"a": {4, 8}, "b": {4, 8, 12}, "c": range(6, 14)}, 13)
    >>> joint["minimum"], joint["feasible"], joint["allowed"]["a"], joint["others_need"]["c"]
    (14, False, [], 8)
    >>> module_item_counts({"a": {4, 8}, "b": range(1, 14)}, 13)["allowed"]
    {'a': [4, 8], 'b': [1, 2, 3, 4, 5, 6, 7, 8, 9]}
    """
    size = _positive_int(module_size, "module_size")
    counts = {scale: sorted({_positive_int(k, "an item count") for k in ks})
              for scale, ks in possible.items()}
    if any(not ks for ks in counts.values()):
        return dict(minimum=None, feasible=False, allowed={s: [] for s in counts},
                    others_need={s: None for s in counts})
    least = {scale: ks[0] for scale, ks in counts.items()}
    minimum = sum(least.values())
    others = {scale: minimum - least[scale] for scale in counts}
    feasible = minimum <= size
    allowed = {scale: [k for k in ks if k + others[scale] <= size] if feasible else []
               for scale, ks in counts.items()}
    return dict(minimum=minimum, feasible=feasible, allowed=allowed, others_need=others)
