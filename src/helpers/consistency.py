"""Consistency checks of summary statistics: GRIM, GRIMMER, DEBIT, percentages, totals, ranges.

Each check takes the published values **as printed strings** (so the number of decimals is known),
works in exact integer arithmetic (no floating-point near a rounding boundary), is vectorised over
rows, and returns a tidy table with a ``consistency`` column (``consistent``, ``inconsistent`` or
``unverifiable``) and a ``reason`` in words. A value printed with too few decimals to test, or a
measure without known granularity, is ``unverifiable`` with its reason, never a false
``inconsistent``.

Granularity
    Every check of a mean assumes that each patient's value lies on a grid ``0, step, 2*step, ...``:
    ``step = 1`` for integers (a sum score, an item), ``1/k`` for the raw mean of ``k`` integer
    items, ``100/(3k)`` for an EORTC 0-100 score of ``k`` items scored 1-4 (see :func:`eortc_step`).
    The mean of ``n`` such values is a multiple of ``step/n``.

Rounding conventions
    ``half_up`` (a half rounds away from zero, as in most statistics packages' printing),
    ``half_even`` (a half rounds to the even digit, IEEE and R's ``round``), ``either`` (a half may
    have gone either way: the most lenient, and the default). Any other name is an error.

Methods: GRIM, Brown & Heathers (2017) Soc Psychol Personal Sci 8:363; GRIMMER, Anaya (2016)
PeerJ Preprints 4:e2400, in the analytic form of Allard (2018): the sum of squares of integer
data is an integer with the parity of the sum, and lies between the least and the greatest
possible given the sum and the scale's bounds; DEBIT, Heathers & Brown (2019), osf.io/5vb3u,
which is GRIMMER on 0/1 data. R's ``scrutiny`` implements these, but no maintained Python library
does with exact arithmetic and this granularity model, hence this module.
"""

from __future__ import annotations

from fractions import Fraction
from numbers import Rational

import numpy as np
import pandas as pd

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
    """Printed numbers as exact integers: ``(units, decimals, sign)``, value = sign*units/10**decimals.

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


def _grid(mean, n, step, scale_min, scale_max, rounding):
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
    g = _grid(mean, n, step, scale_min, scale_max, rounding)
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
            near = " or ".join(f"{float(o):.{d_i}f}" for o in options)
            reason = (f"no {n_i} values on a grid of {_number(step_i)} have a mean that prints as "
                      f"{g['columns']['mean'][i]}")
        reasons.append(reason)
        nearest.append(near)
    return pd.DataFrame({
        "mean": g["columns"]["mean"].astype(str), "n": g["counts"],
        "step": _step_text(g["p"], g["q"]), "decimals": g["decimals"],
        "consistency": verdict, "reason": reasons, "nearest": nearest})


# ---------------------------------------------------------------------------------------------
# GRIMMER and DEBIT
# ---------------------------------------------------------------------------------------------

def _grimmer_verdict(g: dict, sd, rounding: str) -> tuple[np.ndarray, np.ndarray]:
    """GRIMMER's verdict and reason for each row of a :func:`_grid`."""
    sd = np.atleast_1d(np.asarray(sd, dtype=object))
    s_units, s_decimals, s_sign = parse_printed(sd, "sd")
    if (s_sign < 0).any() and (s_units[s_sign < 0] > 0).any():
        bad = sd[int(np.flatnonzero((s_sign < 0) & (s_units > 0))[0])]
        raise ValueError(f"sd {bad!r} is negative: an SD cannot be negative")
    counts = g["counts"]
    if (counts < 2).any():
        raise ValueError("an SD needs n of at least 2")
    candidates, valid = g["candidates"], g["valid"]
    # Sample SD in printed units T: ((2T -/+ 1) / (2 * 10**ds))**2 <=/< (p/q)**2 (nQ - K**2) / (n(n-1))
    # => Q >= (q**2 n (n-1) (2T-1)**2 + 4 p**2 10**(2ds) K**2) / (4 p**2 10**(2ds) n)
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
    verdict = np.where(~mean_ok | g["outside"], INCONSISTENT,
                       np.where(possible, CONSISTENT,
                                np.where(g["too_coarse"], UNVERIFIABLE, INCONSISTENT)))
    reasons = np.where(
        ~mean_ok | g["outside"], "the mean itself is impossible (GRIM)",
        np.where(possible, "some integer data on the grid give this mean and SD",
                 np.where(g["too_coarse"], "the mean allows too many sums to test",
                          np.where(sd_too_large.any(axis=1) & ~(valid & ~sd_too_large &
                                                                (q_lo <= q_hi)).any(axis=1),
                                   "SD larger than any data within the scale's range allow",
                                   "no sum of squares with the parity of the sum gives this SD"))))
    return verdict, reasons


def grimmer(mean, sd, n, step=1, *, rounding: str = "either", scale_min=None, scale_max=None
            ) -> pd.DataFrame:
    """GRIMMER: can a mean and a standard deviation printed this way arise from ``n`` values on a
    grid of ``step``?

    In grid units (``y = (x - scale_min) / step``, integers from 0 to ``top``), a candidate sum
    ``K`` from GRIM and a sum of squares ``Q`` give the sample SD
    ``step * sqrt((n Q - K**2) / (n (n - 1)))``. The SD is possible when some integer ``Q`` with the
    parity of ``K`` (``y**2`` and ``y`` have the same parity) prints as the SD and lies between the
    least and the greatest sum of squares that ``K`` allows within ``[0, top]``.

    Parameters
    ----------
    mean, sd : str or sequence of str
        As printed.
    n, step, rounding, scale_min, scale_max
        As in :func:`grim`.

    Returns
    -------
    pandas.DataFrame
        ``mean, sd, n, step, consistency, reason``. Where the mean fails GRIM, GRIMMER fails too.

    Examples
    --------
    Five integers 1, 2, 3, 4, 5: mean 3.00, sample SD sqrt(2.5) = 1.58.

    >>> grimmer("3.00", "1.58", 5)["consistency"].item()
    'consistent'
    >>> grimmer("3.00", "1.59", 5)["consistency"].item()
    'inconsistent'
    """
    rounding = _check_rounding(rounding)
    columns = _broadcast(mean=mean, sd=sd, n=n)
    g = _grid(columns["mean"], columns["n"], step, scale_min, scale_max, rounding)
    verdict, reasons = _grimmer_verdict(g, columns["sd"], rounding)
    counts = g["counts"]
    return pd.DataFrame({
        "mean": columns["mean"].astype(str), "sd": columns["sd"].astype(str), "n": counts,
        "step": _step_text(g["p"], g["q"]), "consistency": verdict, "reason": reasons})


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
    ``consistency`` and ``reason``; when no rounding to the nearest reproduces the printed value,
    the reason says whether rounding down or up (truncation, ceiling) would.

    Examples
    --------
    >>> percentage(4, 30, "13.3")["consistency"].item()
    'consistent'
    >>> row = percentage(4, 30, "13.4").iloc[0]
    >>> row["consistency"], row["reason"]
    ('inconsistent', '4/30 = 13.333...% prints as 13.3; 13.4 is that value rounded up (ceiling)')
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
    consistency, reasons, recomputed = [], [], []
    for i in range(len(counts)):
        d = int(decimals[i])
        exact = Fraction(100 * int(counts[i]), int(totals[i]))
        shown = _round_half_up(exact, d)
        recomputed.append(shown)
        described = f"{counts[i]}/{totals[i]} = {_describe_exact(exact)}%"
        if ok[i]:
            consistency.append(CONSISTENT)
            reasons.append(f"{described}")
            continue
        consistency.append(INCONSISTENT)
        scaled = exact * 10 ** d
        target = int(units[i]) * int(sign[i])
        if scaled.__floor__() == target:
            how = f"; {columns['percent'][i]} is that value rounded down (truncated)"
        elif scaled.__ceil__() == target:
            how = f"; {columns['percent'][i]} is that value rounded up (ceiling)"
        else:
            how = f"; no rounding of it gives {columns['percent'][i]}"
        reasons.append(f"{described} prints as {shown}{how}")
    return pd.DataFrame({"count": counts, "total": totals,
                         "percent": columns["percent"].astype(str), "recomputed": recomputed,
                         "consistency": consistency, "reason": reasons})


def _round_half_up(value: Fraction, decimals: int) -> str:
    scaled = value * 10 ** decimals
    rounded = (scaled + Fraction(1, 2)).__floor__() if scaled >= 0 else \
        -((-scaled + Fraction(1, 2)).__floor__())
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
    """The largest sample SD that ``n`` values in ``[scale_min, scale_max]`` with this mean can have:
    ``sqrt(n/(n-1) (mean - min)(max - mean))`` (all values at the bounds).

    Examples
    --------
    >>> round(max_sd(2.5, 10, 1, 4), 4)
    1.5811
    """
    mean, low, high = float(mean), float(scale_min), float(scale_max)
    return float(np.sqrt(n / (n - 1) * max(mean - low, 0) * max(high - mean, 0)))


# ---------------------------------------------------------------------------------------------
# n-inference
# ---------------------------------------------------------------------------------------------

def infer_n(mean, sd=None, *, n_range=(5, 100), step=1, rounding: str = "either",
            scale_min=None, scale_max=None) -> pd.DataFrame:
    """The sample sizes in ``n_range`` with which each printed mean (and SD) is consistent.

    One vectorised call of :func:`grim` (or :func:`grimmer`) over every row and every n.

    Returns
    -------
    pandas.DataFrame
        One row per input: ``mean`` (and ``sd``), ``consistent_n`` (compact text such as
        ``"7, 14, 21-30"``), ``n_consistent`` (how many), ``informative`` (False when the check
        cannot test at any n in the window: every n is then listed but proves nothing).

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
    grid = _grid(np.repeat(means, sizes.size), expanded["n"], expanded["step"],
                 expanded["scale_min"], expanded["scale_max"], rounding)
    if sd is None:
        verdict, _ = _grim_verdict(grid)
    else:
        sds = np.atleast_1d(np.asarray(sd, dtype=object))
        verdict, _ = _grimmer_verdict(grid, np.repeat(sds, sizes.size), rounding)
    result = pd.DataFrame({"n": grid["counts"], "consistency": verdict})
    result["row"] = np.repeat(np.arange(rows), sizes.size)
    out = []
    for row, group in result.groupby("row", sort=True):
        good = group.loc[group["consistency"] != INCONSISTENT, "n"].tolist()
        record = {"mean": str(means[row])}
        if sd is not None:
            record["sd"] = str(np.atleast_1d(np.asarray(sd, dtype=object))[row])
        record.update(consistent_n=compact_ranges(good), n_consistent=len(good),
                      informative=bool((group["consistency"] != UNVERIFIABLE).any()))
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
