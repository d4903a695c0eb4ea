"""Acceptance: the published rules-examples.jsonl through `mileage rules eval` (RULES-CLI),
as a subprocess and in-process; every number must come out exactly."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mileage.rules import evaluate
from mileage.rules.cli import run_eval

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = Path(__file__).parent / "data" / "rules-examples.jsonl"
SPEC_COPIES = [
    Path("/work/shared/spec/rules-examples.jsonl"),
    ROOT.parent / "shared" / "spec" / "rules-examples.jsonl",
]
LINES = [
    json.loads(line) for line in EXAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()
]
IDS = [str(example["case"].get("id"))[:24] for example in LINES]


def _cli_command() -> list[str]:
    script = Path(sys.executable).with_name("mileage")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mileage.cli"]


def test_repository_copy_equals_the_published_examples() -> None:
    published = [path for path in SPEC_COPIES if path.exists()]
    if not published:
        pytest.skip("the shared spec is not beside this checkout")
    assert EXAMPLES.read_bytes() == published[0].read_bytes()


def test_examples_cover_every_program() -> None:
    assert {example["case"]["program"] for example in LINES} == {
        "eco-car",
        "eco-seasonal",
        "pilot-2014",
        "walk",
    }


@pytest.mark.parametrize("example", LINES, ids=IDS)
def test_example_in_process_api(example: dict[str, Any]) -> None:
    assert evaluate(example["case"]) == example["expected"]


@pytest.mark.parametrize("example", LINES, ids=IDS)
def test_example_in_process_cli_single_mode(example: dict[str, Any]) -> None:
    out, err = io.StringIO(), io.StringIO()
    stdin = io.StringIO(json.dumps(example["case"], ensure_ascii=False))
    assert run_eval([], stdin, out, err) == 0
    assert json.loads(out.getvalue()) == example["expected"]
    assert err.getvalue() == ""


@pytest.mark.parametrize("example", LINES, ids=IDS)
def test_example_through_the_cli_subprocess(example: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(example["case"], ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [*_cli_command(), "rules", "eval", str(path)], capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout.decode("utf-8")) == example["expected"]


def test_all_examples_through_the_cli_jsonl_from_stdin() -> None:
    cases = "".join(json.dumps(e["case"], ensure_ascii=False) + "\n" for e in LINES)
    done = subprocess.run(
        [*_cli_command(), "rules", "eval", "--jsonl"],
        input=cases.encode("utf-8"),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    results = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert results == [e["expected"] for e in LINES]
