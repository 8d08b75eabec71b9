"""Checks: preflight, the checks a print shop runs, done before anything is printed.

In: the sources, the laid-out pages, the finished files. Out: `Problem`s
with a code from codes.py.
"""
