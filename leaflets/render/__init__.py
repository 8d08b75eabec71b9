"""Render: composed HTML laid out and written by WeasyPrint, measured until it fits.

In: `Composed`. Out: `Rendered` (PDF bytes and the laid-out pages), the
images as embedded, and overflow / safe-zone / type-size findings. tree.py
is the only module that reads WeasyPrint's private layout tree.
"""
