"""Columnar (batch) evaluation of the rules: many cycles at once, the same answers as the scalar
path `mileage.rules.evaluate` (C-4 exact decisions). See docs/rules.md "Batch API".

    from mileage.rules.batch import evaluate_eco_car
    result = evaluate_eco_car(frame)          # polars DataFrame in, polars DataFrame out
    result = evaluate_eco_car({...arrays})    # dict of numpy arrays in, dict of arrays out
"""

from __future__ import annotations

from mileage.rules.batch.eco_car import KINDS, REASON_ORDER, STATUSES, reasons_list
from mileage.rules.batch.frame import INPUT_COLUMNS, OUTPUT_COLUMNS, evaluate_eco_car

__all__ = [
    "INPUT_COLUMNS",
    "KINDS",
    "OUTPUT_COLUMNS",
    "REASON_ORDER",
    "STATUSES",
    "evaluate_eco_car",
    "reasons_list",
]
