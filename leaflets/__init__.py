"""leaflets: Markdown content through Jinja layouts into print-ready PDFs.

The stages, one subpackage each; imports point down this list only
(tests/test_architecture.py checks it):

    content/   files read and checked    -> Piece, Household, SiteData
    layout/    layouts, fonts, compose   -> Layout, Composed (HTML)
    render/    WeasyPrint, fit, images   -> Rendered (PDF bytes, laid-out pages)
    press/     finish, marks, impose     -> print and imposed PDF bytes
    checks/    preflight                 -> Problems with codes
    review/    proofs, previews, diffs   -> proof PDF, PNG and HTML bytes
    build/     plan, run, caches         -> files in dist/

Below them all: problems.py (Problem, ContentError), project.py (where
things are), clock.py (the build date), atomic.py (writing files) and
vi.py (Vietnamese formats).
"""

__version__ = "0.4.0"
