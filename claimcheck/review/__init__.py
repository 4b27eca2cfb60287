"""Review: what a check found, written down, and the editors' queue of flagged contradictions.

- `record_check`: write a check's run, verdicts and one flag per contradiction (runs.py)
- `verdict_json`: the public JSON shape of one checked claim (docs/json.md)
- `QueueFilter`, `list_flags`, `status_counts`, `outlets`, `neighbours`: the queue's queries
- `get_flag`, `checked_run`: one flag with its evidence; one recorded run with its verdicts
- `claim_passages`: stored claims in their paragraphs, for quotes shown in context
- `decide_flag`, `ACTIONS`: an editor's decision on a flag, appended to its history
- `highlight`: a passage cut into plain and conflicting segments, for display (passages.py)
- `export_text`, `flag_json`, `Newsroom`, `NEWSROOM_ENV`: ClaimReview JSON-LD, CSV, JSON lines

`queue.py` holds flag statuses, decisions and the queue's queries; `export.py` the exports.
"""

from .export import NEWSROOM_ENV, Newsroom, export_text, flag_json
from .passages import highlight
from .queue import (
    ACTIONS,
    QueueFilter,
    checked_run,
    claim_passages,
    decide_flag,
    get_flag,
    list_flags,
    neighbours,
    outlets,
    status_counts,
)
from .runs import record_check, verdict_json

__all__ = [
    "ACTIONS",
    "NEWSROOM_ENV",
    "Newsroom",
    "QueueFilter",
    "checked_run",
    "claim_passages",
    "decide_flag",
    "export_text",
    "flag_json",
    "get_flag",
    "highlight",
    "list_flags",
    "neighbours",
    "outlets",
    "record_check",
    "status_counts",
    "verdict_json",
]
