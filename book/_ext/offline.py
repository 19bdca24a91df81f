"""Keep the book self-contained: drop the Thebe (live code) scripts that Jupyter Book 1 adds.

The book runs no live code, and sphinx-thebe's inline script names a CDN and is added twice by
Jupyter Book 1 (a browser console error: "Identifier 'THEBE_JS_URL' has already been declared").
"""


def _drop_thebe(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    kept = []
    for script in scripts:
        body = getattr(script, "attributes", {}).get("body", "") or ""
        name = str(script)
        if "THEBE" in body or "thebe" in name:
            continue
        kept.append(script)
    context["script_files"] = kept


def setup(app):
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
