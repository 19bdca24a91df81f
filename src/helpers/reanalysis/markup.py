"""Text from a data folder made safe for the book's Markdown (MyST), in one place.

The book's pages are MyST Markdown that Sphinx turns into HTML. Text a data file supplies (a
quote of the paper, an item's question, a label) is hostile until escaped: raw HTML
(``<script>``, ``<img onerror=...>``) would run in the reader's browser, and MyST's own syntax
would act (a role such as ``{download}`` copies a file into the book; ``$`` starts mathematics;
``[...](...)`` makes a link). Two levels:

:func:`text`
    For text that is data, never markup (quotes, questions, labels, notes): every character that
    Markdown or MyST gives a meaning is backslash-escaped (CommonMark escapes any ASCII
    punctuation that way), so it shows literally and acts as nothing.
:func:`prose`
    For prose the trial's authors write for the book (``narrative.yaml``, ``pages/*.md``): its
    roles (``{glue:text}``, ``{cite:p}``) are wanted, so only ``<``, ``>`` and ``&`` are escaped:
    no raw HTML reaches the page.

Hand-written because no kept library escapes MyST (``html.escape`` covers HTML only).

Examples
--------
>>> text("<script>alert(1)</script> {download}`x` $a$")
'\\\\<script\\\\>alert(1)\\\\</script\\\\> \\\\{download\\\\}\\\\`x\\\\` \\\\$a\\\\$'
>>> prose("p < 0.05 & {glue:text}`n`")
'p &lt; 0.05 &amp; {glue:text}`n`'
"""

from __future__ import annotations

import html
import re

__all__ = ["text", "prose"]

#: The characters Markdown, MyST and its extensions (dollarmath, colon fences, roles, tables)
#: give a meaning to, or HTML does.
_ACTIVE = re.compile(r"([\\`*_{}\[\]<>#|$~&^:=!+])")


def text(value) -> str:
    """``value`` as literal text in MyST Markdown: every active character escaped."""
    return _ACTIVE.sub(r"\\\1", str(value))


def prose(value) -> str:
    """The trial authors' Markdown with raw HTML disabled: ``<``, ``>`` and ``&`` escaped,
    everything else (roles, emphasis, links) left to act."""
    return html.escape(str(value), quote=False)
