"""The memory ceiling of a build: a hostile or mistaken input stops, the machine does not.

Inputs are limited one by one (text files, YAML nesting and aliases, image
pixels, SVG size), and the command line also caps the process's address
space: 2048 MB by default, LEAFLETS_MAX_MEMORY_MB to change it (0 turns it
off). The sample run peaks at about 400 MB of address space and 300 MB
resident. A piece that reaches the ceiling fails with one line naming it
(`MemoryError`); the other pieces go on.
"""

from __future__ import annotations

import os

from .i18n import Msg, msg

DEFAULT_MB = 2048
VARIABLE = "LEAFLETS_MAX_MEMORY_MB"


def ceiling_mb() -> int:
    """The ceiling in MB from the environment (0: none)."""
    try:
        return max(0, int(os.environ.get(VARIABLE, DEFAULT_MB)))
    except ValueError:
        return DEFAULT_MB


def apply_ceiling() -> int:
    """Cap this process's address space at the ceiling; return it in MB (0 when not applied)."""
    megabytes = ceiling_mb()
    if not megabytes:
        return 0
    try:
        import resource
    except ImportError:  # not on this system: the per-input limits still hold
        return 0
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft == resource.RLIM_INFINITY or soft > wanted:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
        except (ValueError, OSError):
            return 0
    return megabytes


def out_of_memory_message() -> Msg:
    megabytes = ceiling_mb()
    if megabytes:
        return msg("ran out of the {megabytes} MB memory ceiling while building it: an image or a text "
                   "far larger than print needs? (raise the ceiling with {variable}=<MB> if the piece "
                   "really is that large)", megabytes=megabytes, variable=VARIABLE)
    return msg("ran out of the machine's memory while building it: an image or a text far larger than "
               "print needs? (raise the ceiling with {variable}=<MB> if the piece really is that large)",
               variable=VARIABLE)
