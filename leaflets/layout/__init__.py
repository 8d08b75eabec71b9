"""Layout: formats as data, and a piece composed into one HTML string.

In: layouts/<name>/layout.toml, layouts/palette.toml, fonts/fonts.toml, a
`Piece` and the site data. Out: `Layout` (geometry), generated CSS, and
`Composed` (the HTML, with every file it was made from).
"""
