"""Build: plan every job, run the commands, write dist/.

In: a `Project` and piece names. Out: files in dist/ (print, proof,
preflight.json, caches) and a `Result` per job for the command line.
"""
