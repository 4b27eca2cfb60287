"""Beyond one machine: ingest and batch checks on a Ray cluster.

- `connect`: a Ray cluster to run on (an address, `auto`, or a local one started here)
- `ingest_on_ray`: files → read → extract (actor pool) → embed (actor pool) → one writer
- `check_on_ray`: many articles checked in parallel, each recorded and flagged by one writer
- `RayOptions`: where to run and how many actors each stage gets

Nothing here is imported by the single-machine commands: `ray` loads only when `--ray` is given.
"""

from .checks import CheckOutcome, check_on_ray
from .cluster import RayOptions, connect
from .ingest import ingest_on_ray

__all__ = ["CheckOutcome", "RayOptions", "check_on_ray", "connect", "ingest_on_ray"]
