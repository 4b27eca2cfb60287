"""claimcheck: attributed-claim extraction and source verification for newsrooms."""

__version__ = "0.1.0"
