"""The `claimcheck` command line: parse options, call one function of the library, print.

- `cli`: the click group, the `claimcheck` console script (and `python -m claimcheck.cli`)

`main.py` holds the group and the options every command shares, `options.py` the checked option
types (ids, limits, ports, dates, one-line text); each family of commands has its
own module: `archive.py` (ingest, claims), `speakers.py` (quotes, speakers),
`articles.py` (articles),
`check.py` (check, evaluate),
`review.py` (review, export, serve), `backup.py` (backup, import) and `doctor.py`. Commands that
need no model (claims, quotes, speakers, review, backup, import) import neither torch nor spaCy,
so they start in a fraction of a second.
"""

from __future__ import annotations

from .main import cli

__all__ = ["cli"]


def _add_commands() -> None:
    # Imported here, not at the top, so that the package's names stay the family modules
    # (`claimcheck.cli.check` is the module, not the `check` command).
    from .archive import claims, ingest
    from .articles import articles
    from .backup import backup, import_command
    from .check import check, evaluate
    from .doctor import doctor
    from .review import export, review, serve
    from .speakers import quotes, speakers

    for command in (
        ingest,
        articles,
        claims,
        quotes,
        speakers,
        check,
        evaluate,
        doctor,
        review,
        export,
        backup,
        import_command,
        serve,
    ):
        cli.add_command(command)


_add_commands()
