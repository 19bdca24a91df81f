"""The notebooks' parameters: their declared types and ranges, checked before any kernel starts.

The declarations live in one place, ``notebooks/params.yaml``'s ``parameters`` block, one entry
per parameter name (a name means the same thing in every notebook that declares it)::

    parameters:
      r: {type: number, range: "[-1, 1]"}
      alpha: {type: number, range: "(0, 1)"}
      r_grid: {type: list, items: {type: number, range: "[-1, 1]"}, min_length: 1}

Types: ``number`` (finite, not a boolean), ``integer``, ``string``, ``choice`` (``values``),
``dir`` (an existing folder, relative to the project root), ``file`` (an existing file), ``path``
(any path), ``list`` (``items``: the type of each element; ``min_length``, ``length``), ``mapping``
(``values``: the type of each value). ``nullable: true`` also allows ``None``. ``range`` is an
interval, ``[`` and ``]`` closed, ``(`` and ``)`` open, ``inf`` for no bound.

The pipeline (``python -m helpers.build.pipeline``) checks each notebook's parameters with
:func:`check_parameters` before it starts a kernel; a notebook run by plain papermill checks them
in its first code cell with :func:`check` (``params.check(globals())``). Either way the error
names the parameter, the value and what is allowed.
"""

from __future__ import annotations

import math
import os
import re

from ..reanalysis import paths

__all__ = ["ParameterError", "CONFIG", "TYPES", "declarations", "parse_range", "check_value",
           "check_parameters", "check"]

#: Where the declarations are (with the notebooks' default values and dependencies).
CONFIG = "notebooks/params.yaml"
#: The declared types a parameter may have.
TYPES = ("number", "integer", "string", "choice", "dir", "file", "path", "list", "mapping", "any")


class ParameterError(ValueError):
    """A parameter's value is not of its declared type or lies outside its declared range."""


def declarations(config: dict | str | os.PathLike | None = None) -> dict[str, dict]:
    """The ``parameters`` block of ``params.yaml`` (a parsed config, a path, or the default).

    Examples
    --------
    >>> declarations()["alpha"]["range"]
    '(0, 1)'
    """
    if not isinstance(config, dict):
        import yaml

        path = paths.resolve(config or CONFIG)
        try:
            config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except FileNotFoundError:
            return {}
        except yaml.YAMLError as error:
            raise ParameterError(f"{path}: not valid YAML: {error}") from None
    block = config.get("parameters") or {}
    if not isinstance(block, dict):
        raise ParameterError("params.yaml 'parameters' must map each parameter to its type")
    return block


_RANGE = re.compile(r"^\s*([\[(])\s*([^,\s]+)\s*,\s*([^\])\s]+)\s*([\])])\s*$")


def parse_range(text: str) -> tuple[float, float, bool, bool]:
    """``"(0, 1]"`` -> ``(0.0, 1.0, False, True)``: bounds, and whether each is included.

    Examples
    --------
    >>> parse_range("(0, 1]")
    (0.0, 1.0, False, True)
    >>> parse_range("[1, inf)")
    (1.0, inf, True, False)
    """
    match = _RANGE.match(str(text))
    if not match:
        raise ParameterError(f"params.yaml: {text!r} is not an interval such as [-1, 1] or (0, 1)")
    opening, low, high, closing = match.groups()
    return float(low), float(high), opening == "[", closing == "]"


def _allowed(spec: dict) -> str:
    kind = spec.get("type", "any")
    if kind == "list":
        size = (f"a list of {spec['length']} values" if "length" in spec
                else "a non-empty list" if spec.get("min_length", 0) >= 1 else "a list")
        text = f"{size}, each {_allowed(spec.get('items') or {})}"
    elif kind == "mapping":
        text = f"a mapping of names to {_allowed(spec.get('values') or {})}"
    elif kind == "choice":
        text = "one of " + ", ".join(map(str, spec.get("values", [])))
    elif kind == "dir":
        text = "an existing folder"
    elif kind == "file":
        text = "an existing file"
    elif kind in ("number", "integer"):
        text = "a number" if kind == "number" else "an integer"
        if "range" in spec:
            text += f" in {spec['range']}"
    else:
        text = f"a {kind}" if kind != "any" else "any value"
    if spec.get("nullable"):
        text += " or None"
    return text


def _problem(spec: dict, value) -> str | None:
    """What is wrong with ``value`` under ``spec``, or None."""
    if value is None:
        return None if spec.get("nullable") else "is None"
    kind = spec.get("type", "any")
    if kind in ("number", "integer"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"is not {'a number' if kind == 'number' else 'an integer'}"
        if kind == "integer" and not float(value).is_integer():
            return "is not an integer"
        if not math.isfinite(value):
            return "is not a finite number"
        if "range" in spec:
            low, high, low_in, high_in = parse_range(spec["range"])
            if (value < low or (value == low and not low_in)
                    or value > high or (value == high and not high_in)):
                return f"lies outside {spec['range']}"
        return None
    if kind == "string":
        return None if isinstance(value, str) else "is not a string"
    if kind == "choice":
        return None if value in spec.get("values", []) else "is not an allowed value"
    if kind in ("dir", "file", "path"):
        if not isinstance(value, (str, os.PathLike)):
            return "is not a path"
        target = paths.resolve(value)
        if kind == "dir" and not target.is_dir():
            return "is a file, not a folder" if target.exists() else "does not exist"
        if kind == "file" and not target.is_file():
            return "is a folder, not a file" if target.exists() else "does not exist"
        return None
    if kind == "list":
        if not isinstance(value, (list, tuple)):
            return "is not a list"
        if "length" in spec and len(value) != spec["length"]:
            return f"has {len(value)} element(s), not {spec['length']}"
        if len(value) < spec.get("min_length", 0):
            return "is empty" if not value else f"has fewer than {spec['min_length']} elements"
        for position, element in enumerate(value):
            wrong = _problem(spec.get("items") or {}, element)
            if wrong:
                return f"has element {position} = {element!r}, which {wrong}"
        return None
    if kind == "mapping":
        if not isinstance(value, dict):
            return "is not a mapping"
        for key, element in value.items():
            wrong = _problem(spec.get("values") or {}, element)
            if wrong:
                return f"has {key!r}: {element!r}, which {wrong}"
        return None
    return None


def check_value(name: str, value, spec: dict, where: str = "") -> None:
    """Raise :class:`ParameterError` naming the parameter, the value and what is allowed when
    ``value`` breaks ``spec``.

    Examples
    --------
    >>> check_value("alpha", 0.05, {"type": "number", "range": "(0, 1)"})
    >>> check_value("alpha", 0, {"type": "number", "range": "(0, 1)"})
    Traceback (most recent call last):
    ...
    helpers.build.params.ParameterError: parameter alpha = 0 lies outside (0, 1); allowed: a number in (0, 1)
    """
    wrong = _problem(spec, value)
    if wrong:
        place = f" ({where})" if where else ""
        raise ParameterError(f"parameter {name} = {value!r}{place} {wrong}; allowed: "
                             f"{_allowed(spec)}")


def check_parameters(parameters: dict, specs: dict, where: str = "") -> None:
    """Check every parameter that has a declaration (others pass unchecked).

    Examples
    --------
    >>> check_parameters({"r": "abc"}, {"r": {"type": "number", "range": "[-1, 1]"}}, "03")
    Traceback (most recent call last):
    ...
    helpers.build.params.ParameterError: parameter r = 'abc' (03) is not a number; allowed: a number in [-1, 1]
    """
    for name, value in parameters.items():
        if name in specs:
            check_value(name, value, specs[name], where)


def check(namespace: dict, config: str | os.PathLike | None = None) -> None:
    """A notebook's check of its own parameters (its first code cell calls
    ``params.check(globals())``): every declared parameter found in ``namespace`` is checked, so
    plain papermill gets the pipeline's checks.

    Examples
    --------
    >>> check({"alpha": 0.05, "r": 0.5, "unrelated": object()})
    """
    check_parameters({k: v for k, v in namespace.items() if not k.startswith("_")},
                     declarations(config), "notebook parameters")
