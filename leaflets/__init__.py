"""leaflets: Markdown content through Jinja layouts into print-ready PDFs.

Stages, one module each: load (textio, frontmatter, schema, site,
households, pieces, markdown, assets), layouts and generated CSS (layouts,
css, fonts), compose, render (with images), fit and fitting, preflight,
finish (marks, impose), and the pipeline that plans, runs and writes.
"""

__version__ = "0.4.0"
