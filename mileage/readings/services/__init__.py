"""Reading use cases, one module per group: submit (C-1, ECO-2..5, ECO-11, ECO-13, ECO-15..17),
review (ECO-3, ECO-14), appeals (이의신청)."""

from .appeals import add_message, decide_appeal, open_appeal
from .review import approve_reading, reject_reading, void_cycle
from .submit import change_vehicle, end_participation, submit_reading

__all__ = [
    "add_message",
    "approve_reading",
    "change_vehicle",
    "decide_appeal",
    "end_participation",
    "open_appeal",
    "reject_reading",
    "submit_reading",
    "void_cycle",
]
