"""Escape the titles that the book's themes write as raw HTML.

A trial's title and headings are data: a ``<script>`` in them would run. The themes write three
titles into every page without escaping them: the book's title (``docstitle``: pydata-sphinx-
theme's navbar logo, the search page's ``<title>``), and the plain text of the page's and the
root page's titles that sphinx-book-theme sets (``pagetitle``: the print header
``<h1>{{ pagetitle }}</h1>``; ``root_title``). Here each is replaced by its escaped form, after
the theme set it; as ``markupsafe.Markup``, so a template that escapes it again (Sphinx's own
``<title>``) does not escape it twice. (Issue 23; tests/test_browser_injection.py opens every page
of a hostile trial's book.)
"""

from markupsafe import escape


def _escape_titles(app, pagename, templatename, context, doctree):
    for key in ("docstitle", "pagetitle", "root_title"):
        if isinstance(context.get(key), str):
            context[key] = escape(context[key])


def setup(app):
    app.connect("html-page-context", _escape_titles, priority=950)  # after the theme's (500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
