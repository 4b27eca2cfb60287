"""Connecting to a Ray cluster: an existing one (`auto`, or an address), or a local one.

A local cluster started here is shut down when the work is done; one that was already running
(another command's, a test's, or a cluster's head) is left as it was. Ray's own progress bars and
logs are kept off the terminal: the writer reports progress the way `ingest` always does.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..errors import ClaimcheckError

LOCAL = "local"


@dataclass
class RayOptions:
    """Where the work runs and how wide each stage is.

    `address`: `local` (a cluster on this machine, started and stopped here), `auto` (the
    cluster this machine already belongs to) or an address such as `ray://head:10001`.
    `workers`: actors per stage (extract, embed or check); None: one per CPU of the cluster.
    """

    address: str = LOCAL
    workers: int | None = None
    batch_articles: int = 16  # articles per block handed from stage to stage


def quiet_ray() -> None:
    """Ray Data's progress bars and Ray's INFO lines are not for a newsroom's terminal."""
    os.environ.setdefault("RAY_DEDUP_LOGS", "1")
    for name in ("ray", "ray.data", "ray._private", "ray.util"):
        logging.getLogger(name).setLevel(logging.ERROR)
    import ray.data

    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.execution_options.preserve_order = True  # the writer stores articles in input order
    if hasattr(context, "print_on_execution_start"):
        context.print_on_execution_start = False


START_TRIES = 3


def start_local(ray: Any, **kwargs: Any) -> None:
    """`ray.init` on this machine, tried up to three times: on a busy two-core machine the
    raylet can miss Ray's fixed 30-second registration wait ("The current node timed out
    during startup"), and a later start, with the machine no busier, succeeds (two tries
    once both missed, in a fresh clone's test run)."""
    for attempt in range(START_TRIES):
        try:
            ray.init(_node_ip_address="127.0.0.1", **kwargs)
            return
        except Exception as exc:
            if "timed out during startup" not in str(exc) or attempt == START_TRIES - 1:
                raise
            ray.shutdown()


@contextmanager
def connect(options: RayOptions) -> Iterator[Any]:
    """A Ray cluster for the duration of the block (the `ray` module is yielded)."""
    try:
        import ray
    except ImportError as exc:
        raise ClaimcheckError(
            "--ray needs the ray package: pip install -e '.[scale]' (docs/scaling.md)."
        ) from exc
    started = False
    if not ray.is_initialized():
        kwargs: dict[str, Any] = {
            "include_dashboard": False,
            "log_to_driver": False,
            "logging_level": logging.ERROR,
            "configure_logging": True,
        }
        try:
            if options.address == LOCAL:
                start_local(ray, **kwargs)
            else:
                ray.init(address=options.address, **kwargs)
        except Exception as exc:
            where = "a local Ray cluster" if options.address == LOCAL else options.address
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise ClaimcheckError(f"Cannot connect to {where}: {first}") from exc
        started = True
    quiet_ray()
    try:
        yield ray
    finally:
        if started:
            ray.shutdown()


def stage_width(ray: Any, options: RayOptions) -> int:
    """Actors per stage: as asked, else one per CPU the cluster has (at least one)."""
    if options.workers:
        return options.workers
    return max(1, int(ray.cluster_resources().get("CPU", 1)))
