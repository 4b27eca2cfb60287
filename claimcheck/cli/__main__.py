"""`python -m claimcheck.cli`: the same command line as the `claimcheck` script."""

from . import cli

cli(prog_name="claimcheck")
