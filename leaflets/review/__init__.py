"""Review: what reviewers see. Proof PDFs, previews, the review page, diffs.

In: print PDF bytes and plain records. Out: bytes (PDF, PNG, HTML); the
build stage decides where they are written.
"""
