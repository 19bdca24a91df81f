"""YAML from a data folder, read without aliases.

``yaml.safe_load`` constructs no objects, but it expands aliases: a 700-byte ``trial.yaml`` whose
title nests nine aliases (a "billion laughs") took 3 GB and 54 s to load. No file of this project
needs an alias, so :func:`loads` refuses every one, with the file and line, before anything is
expanded, and refuses a file larger than any description of a trial would be. PyYAML has no
option for this; the loader below is its ``SafeLoader`` with one method overridden.

Examples
--------
>>> loads("title: trial\\narms: [A, B]\\n", "trial.yaml")
{'title': 'trial', 'arms': ['A', 'B']}
>>> loads("a: &x [1]\\nb: *x\\n", "trial.yaml")
Traceback (most recent call last):
...
helpers.reanalysis.yamlfile.YamlFileError: trial.yaml, line 2, column 4: an alias (*x): this project's YAML files use none; write the value out
"""

from __future__ import annotations

import yaml

__all__ = ["MAX_BYTES", "YamlFileError", "loads"]

#: The largest YAML file read (a trial's description is a few kilobytes).
MAX_BYTES = 2_000_000


class YamlFileError(ValueError):
    """A YAML file that cannot be read: the message names the file, line and column."""


class _NoAliasLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that stops at the first alias, before expanding it."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"an alias (*{event.anchor})", event.start_mark)
        return super().compose_node(parent, index)


def loads(text: str, source: str):
    """The YAML document ``text`` (from ``source``, named in messages) as Python values, with
    no alias expanded; raises :class:`YamlFileError` naming ``source``, the line and column."""
    if len(text) > MAX_BYTES:
        raise YamlFileError(f"{source}: {len(text)} characters; a YAML file here is at most "
                            f"{MAX_BYTES}")
    try:
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = str(getattr(error, "problem", None) or error)
        if problem.startswith("an alias"):
            raise YamlFileError(f"{source}{where}: {problem}: this project's YAML files use "
                                "none; write the value out") from None
        raise YamlFileError(f"{source}{where}: not valid YAML ({problem})") from None
