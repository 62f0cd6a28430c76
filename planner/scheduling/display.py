"""How the scheduling pages say things: translated labels for the solver's status and
method codes (numbers, lists and language names are in `planner.text`)."""
from __future__ import annotations

from planner.text.i18n import _l

SOLVER_STATUS = {
    "OPTIMAL": _l("proven best"),
    "FEASIBLE": _l("good, not proven best"),
    "INFEASIBLE": _l("impossible"),
    "UNKNOWN": _l("nothing found in time"),
    "MODEL_INVALID": _l("invalid model"),
}
SOLVER_METHOD = {
    "cp-sat": _l("the optimising scheduler"),
    "greedy": _l("the quick first-fit scheduler"),
}


def solver_status_label(code: str | None) -> str:
    return str(SOLVER_STATUS.get(code or "", code or ""))


def solver_method_label(code: str | None) -> str:
    return str(SOLVER_METHOD.get(code or "", code or ""))


