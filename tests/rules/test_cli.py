"""RULES-CLI modes: single and --jsonl, errors as `<field>: <what>`, exit codes, --explain,
never a traceback."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from mileage.rules.cli import main, run_eval

EXAMPLES = Path(__file__).parent / "data" / "rules-examples.jsonl"
EX1 = json.loads(EXAMPLES.read_text(encoding="utf-8").splitlines()[0])["case"]


def _run(args: list[str], stdin: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_eval(args, io.StringIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


def test_single_mode_error_names_the_field_and_exits_2() -> None:
    case = dict(EX1, readings=[dict(EX1["readings"][0]), dict(EX1["readings"][1], km="60000")])
    code, out, err = _run([], json.dumps(case))
    assert code == 2 and out == ""
    assert err.startswith("error: readings[1].km: ")
    assert err.count("\n") == 1


def test_single_mode_bad_json() -> None:
    code, out, err = _run([], "{not json")
    assert code == 2 and out == "" and err.startswith("error: json: ")


def test_single_mode_nan_is_not_json() -> None:
    code, _, err = _run([], '{"program": "walk", "days": [], "id": NaN}')
    assert code == 2 and err.startswith("error: json: ")


def test_unknown_program() -> None:
    code, _, err = _run([], json.dumps({"program": "bus"}))
    assert code == 2 and err.startswith("error: program: ")


def test_jsonl_goes_on_after_an_error_and_exits_2_at_the_end() -> None:
    lines = [
        json.dumps(EX1),
        "{oops",
        json.dumps({"id": {"k": 1}, "program": "walk", "days": [{"date": "2024-1-1"}]}),
        "",
        json.dumps({"id": "w", "program": "walk", "days": []}),
    ]
    code, out, err = _run(["--jsonl"], "\n".join(lines) + "\n")
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 2
    assert len(results) == 4
    assert results[0]["cycles"][0]["mileage"] == 50000
    assert results[1]["id"] is None and results[1]["error"].startswith("json: ")
    assert results[2] == {"id": {"k": 1}, "error": results[2]["error"]}
    assert results[2]["error"].startswith("days[0].date: ")
    assert results[3]["id"] == "w" and results[3]["total_mileage"] == 0
    assert err == ""


def test_jsonl_all_good_exits_0() -> None:
    code, out, _ = _run(["--jsonl"], json.dumps(EX1) + "\n" + json.dumps(EX1) + "\n")
    assert code == 0 and len(out.splitlines()) == 2


def test_explain_writes_the_bilingual_trace_on_stderr() -> None:
    code, out, err = _run(["--explain"], json.dumps(EX1))
    assert code == 0
    assert json.loads(out)["cycles"][0]["mileage"] == 50000
    assert "기준 주행거리 10,692.96km 대비 26% 감축 → 5만 마일리지 (2,779.68km 감축) (ECO-9)" in err
    assert (
        "Reduced 26% against the baseline 10,692.96 km → 50,000 mileage (2,779.68 km less) (ECO-9)"
        in err
    )


def test_output_keeps_korean_unescaped(tmp_path: Path) -> None:
    case = {"id": "한글", "program": "walk", "days": []}
    code, out, _ = _run([], json.dumps(case, ensure_ascii=False))
    assert code == 0 and '"한글"' in out


def test_missing_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    code, out, err = _run([str(tmp_path / "nope.json")], "")
    assert code == 2 and out == "" and err.startswith("error: FILE: ") and "Traceback" not in err


def test_unknown_option_and_usage() -> None:
    code, _, err = _run(["--fast"], "")
    assert code == 2 and "usage:" in err
    assert main(["frobnicate"]) == 2


def test_unexpected_failure_becomes_an_error_line_without_traceback() -> None:
    """A date at the calendar's end makes C-5 arithmetic overflow: still an error line."""
    case = {
        "id": "far",
        "program": "eco-car",
        "vehicle": {"first_registered": "9990-01-01"},
        "readings": [
            {"event": "initial", "km": 1, "taken": "9999-06-01", "uploaded": "9999-06-01"},
            {"event": "annual", "km": 2, "taken": None, "uploaded": None},
        ],
    }
    done = subprocess.run(
        [sys.executable, "-m", "mileage.cli", "rules", "eval", "--jsonl"],
        input=(json.dumps(case) + "\n").encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert b"Traceback" not in done.stderr
    line = json.loads(done.stdout.decode("utf-8"))
    assert line["id"] == "far" and line["error"]
