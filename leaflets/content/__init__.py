"""Content: the project's text files read, checked and parsed.

In: content/pieces/*.md, content/households/*.md, content/data/*.yaml (UTF-8,
NFC). Out: `Piece` (front matter + Markdown slots), `Household`, `SiteData`,
each problem a `Problem` with its file and line.
"""
