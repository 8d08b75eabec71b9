"""Press: WeasyPrint's PDF made into the files a print shop receives.

In: PDF bytes and the `Layout`. Out: print PDFs (exact boxes, marks, slug),
imposed sheets with creep, and what fonts a PDF embeds.
"""
