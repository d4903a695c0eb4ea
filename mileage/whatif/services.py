"""Budget what-ifs (정책 시뮬레이션, issue #14): check the changes, cut the population into chunks,
evaluate each chunk with the current and the proposed parameters, add the chunks up.

    sim = start(manager, "eco-car", window_from, window_to, changes)   # refused in Korean
    run_simulation(sim)            # chunk by chunk in this process (tests, the benchmark)
    tasks.start_simulation(...)    # the page: one Celery task per chunk (eager without a broker)

It pays nothing and touches no run: the only rows written are the `Simulation`, its chunks and
the audit rows (`whatif.run`, `whatif.export`). The current side is `current_parameters()` (the
YAML with the city's approved changes), the same object a run's chunk reads; the proposed side is
the same with the what-if's entries layered on top (`Parameters.with_overrides`, the shape of
`mileage rules eval --parameters FILE`).

The window may be any window, ended or not: a what-if pays nothing, so an unfinished window
simply covers the readings approved so far (the page says so); only from > to is refused.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from mileage.accounts.models import District
from mileage.core import audit
from mileage.core.errors import DomainError
from mileage.core.parameters import current_parameters, override_key
from mileage.core.text import korean_date
from mileage.parameters.errors import UnknownParameter
from mileage.parameters.validation import layer_entry, parse_value
from mileage.rules.params import Parameters

from . import compute, programmes
from .errors import BadWindow, NoChanges, NotForProgramme
from .models import Simulation, SimulationChunk, SimulationStatus

SOURCE = "정책 시뮬레이션"
Progress = Callable[[int, int], None]


class ChangeRefused(DomainError):
    """One changed parameter refused; `detail["row"]` says which row of the form."""

    code = "whatif.bad_change"


def check_changes(programme: str, rows: list[Mapping[str, str]]) -> dict[str, Any]:
    """The form's rows ({name, key, value}; blank rows skipped) as overrides in the shape of
    `mileage rules eval --parameters FILE`, each checked by the parameter pages' checks (the
    rules' parser and units). Refused: no row, an unknown parameter or one this programme does
    not use, a bad key or value (ChangeRefused naming the row), and changes that change nothing
    (NoChanges)."""
    spec = programmes.get(programme)
    current = current_parameters()
    proposed = current
    overrides: dict[str, dict[str, Any]] = {}
    for index, row in enumerate(rows):
        name = (row.get("name") or "").strip()
        key = (row.get("key") or "").strip()
        text = (row.get("value") or "").strip()
        if not (name or key or text):
            continue
        try:
            if name not in current.items:
                raise UnknownParameter(f"알 수 없는 파라미터입니다: {name or '(선택 안 함)'}")
            if name not in spec.parameters:
                raise NotForProgramme()
            value = parse_value(text)
            proposed = layer_entry(proposed, name, key, value, SOURCE)
        except DomainError as exc:
            raise ChangeRefused(str(exc.message), detail={"row": index}) from None
        overrides.setdefault(name, {})[key] = {"value": value, "source": SOURCE}
    if not overrides or all(_same(current, proposed, name) for name in overrides):
        raise NoChanges()
    return overrides


def _same(current: Parameters, proposed: Parameters, name: str) -> bool:
    before, after = current.info(name), proposed.info(name)
    return before.keys == after.keys and [v.value for v in before.values] == [
        v.value for v in after.values
    ]


def proposed_parameters(overrides: Mapping[str, Mapping[str, Any]]) -> Parameters:
    """The current parameters with a what-if's stored overrides on top."""
    return current_parameters().with_overrides(
        {
            name: {override_key(k): v for k, v in entries.items()}
            for name, entries in overrides.items()
        }
    )


def check_window(window_from: dt.date | None, window_to: dt.date | None) -> None:
    if window_from is None or window_to is None or window_from > window_to:
        raise BadWindow()


def start(
    manager: Any,
    programme: str,
    window_from: dt.date | None,
    window_to: dt.date | None,
    changes: list[Mapping[str, str]],
    *,
    chunk_size: int = 50_000,
) -> Simulation:
    """A checked what-if with its chunks, audited (`whatif.run`); nothing evaluated yet."""
    spec = programmes.get(programme)
    check_window(window_from, window_to)
    assert window_from is not None and window_to is not None
    overrides = check_changes(programme, changes)
    ids = spec.participation_ids(window_from, window_to)
    with transaction.atomic():
        sim = Simulation.objects.create(
            programme=spec.code,
            window_from=window_from,
            window_to=window_to,
            overrides=overrides,
            created_by=manager,
            chunk_size=chunk_size,
        )
        SimulationChunk.objects.bulk_create(
            SimulationChunk(
                simulation=sim,
                number=n,
                first_vehicle_id=ids[i],
                last_vehicle_id=ids[min(i + chunk_size, len(ids)) - 1],
            )
            for n, i in enumerate(range(0, len(ids), chunk_size))
        )
        sim.chunks_total = (len(ids) + chunk_size - 1) // chunk_size
        sim.save(update_fields=["chunks_total"])
        audit.record(
            manager,
            "whatif.run",
            sim,
            note=f"{describe(sim)} 바꾼 파라미터: {', '.join(sorted(overrides))}",
            data={"programme": spec.code, "overrides": overrides},
        )
    return sim


def describe(sim: Simulation) -> str:
    name = programmes.PROGRAMMES[sim.programme].name
    window = f"{korean_date(sim.window_from)}~{korean_date(sim.window_to)}"
    return f"정책 시뮬레이션 #{sim.pk} ({name} {window})"


def compute_chunk(sim: Simulation, number: int) -> None:
    """Evaluate one chunk with both parameter sets and keep its summary (skipped when done)."""
    spec = programmes.get(sim.programme)
    with transaction.atomic():
        chunk = SimulationChunk.objects.select_for_update().get(simulation=sim, number=number)
        if chunk.done_at is not None:
            return
        current_rows, proposed_rows = spec.chunk(
            sim.window_from,
            sim.window_to,
            chunk.first_vehicle_id,
            chunk.last_vehicle_id,
            current_parameters(),
            proposed_parameters(sim.overrides),
        )
        chunk.part = compute.summarise(current_rows, proposed_rows)
        chunk.done_at = timezone.now()
        chunk.save(update_fields=["part", "done_at"])


def chunks_left(sim: Simulation) -> list[int]:
    return list(sim.chunks.filter(done_at__isnull=True).values_list("number", flat=True))


def finish(sim: Simulation) -> Simulation:
    """Add the chunks up once every chunk is done: once, whoever finishes last (the row lock)."""
    with transaction.atomic():
        sim = Simulation.objects.select_for_update().get(pk=sim.pk)
        if (
            sim.status == SimulationStatus.RUNNING
            and not sim.chunks.filter(done_at__isnull=True).exists()
        ):
            sim.summary = compute.merge(
                sim.chunks.order_by("number").values_list("part", flat=True)
            )
            sim.status = SimulationStatus.DONE
            sim.finished_at = timezone.now()
            sim.save(update_fields=["summary", "status", "finished_at"])
    return sim


def fail(sim: Simulation, message: str) -> None:
    Simulation.objects.filter(pk=sim.pk, status=SimulationStatus.RUNNING).update(
        status=SimulationStatus.FAILED, error=message[:2000], finished_at=timezone.now()
    )


def run_simulation(sim: Simulation, progress: Progress | None = None) -> Simulation:
    """Every chunk left, one after another in this process, then the sum."""
    todo = chunks_left(sim)
    done = sim.chunks_total - len(todo)
    for number in todo:
        compute_chunk(sim, number)
        done += 1
        if progress:
            progress(done, sim.chunks_total)
    return finish(sim)


def progress_of(sim: Simulation) -> dict[str, int]:
    done = sim.chunks.filter(done_at__isnull=False).count()
    total = sim.chunks_total
    return {"done": done, "total": total, "percent": round(100 * done / total) if total else 100}


def _tier_label(kind: str, tier: int) -> str:
    names = {
        "regular": "감축 마일리지",
        "maintenance": "유지 마일리지",
        "pilot": "시범사업 인센티브",
    }
    return f"{names.get(kind, kind or '-')} {tier:,}"


def report(sim: Simulation) -> dict[str, Any]:
    """The summary as the page and the export show it: Korean district names, differences."""
    summary = sim.summary or compute.merge([])
    names = dict(District.objects.values_list("code", "name_ko"))
    current, proposed = summary["current"], summary["proposed"]
    districts = [
        {
            "code": code,
            "name": names.get(code, code),
            "current_cycles": v["current"]["cycles"],
            "current_awarded": v["current"]["awarded"],
            "current": v["current"]["mileage"],
            "proposed_awarded": v["proposed"]["awarded"],
            "proposed": v["proposed"]["mileage"],
            "difference": v["proposed"]["mileage"] - v["current"]["mileage"],
        }
        for code, v in summary["districts"].items()
    ]
    tiers = []
    for key, v in summary["tiers"].items():
        kind, tier = key.split("|")
        tiers.append(
            {
                "kind": kind,
                "tier": int(tier),
                "label": _tier_label(kind, int(tier)),
                "current_cycles": v["current"]["cycles"],
                "current": v["current"]["mileage"],
                "proposed_cycles": v["proposed"]["cycles"],
                "proposed": v["proposed"]["mileage"],
                "difference": v["proposed"]["mileage"] - v["current"]["mileage"],
            }
        )
    tiers.sort(key=lambda t: (t["kind"], t["tier"]))
    changes = [
        {
            "name": name,
            "label": programmes.PARAMETER_LABELS.get(name, name),
            "key": key,
            "when": _when(key),
            "value": json.dumps(entry["value"], ensure_ascii=False),
        }
        for name, entries in sorted(sim.overrides.items())
        for key, entry in entries.items()
    ]
    return {
        "current": current,
        "proposed": proposed,
        "difference": proposed["mileage"] - current["mileage"],
        "awarded_difference": proposed["awarded"] - current["awarded"],
        "districts": districts,
        "tiers": tiers,
        "members": summary["members"],
        "changes": changes,
    }


def _when(key: str) -> str:
    """A change's key as people read it: "2023. 5. 1.부터" or "2022년 통계"."""
    if key.isdigit():
        return f"{key}년 통계"
    return f"{korean_date(dt.date.fromisoformat(key))}부터"
