"""`mileage rules eval [--jsonl] [--explain] [--parameters FILE] [FILE]` (RULES-CLI).

The engine's stable face.

Single mode: one case (JSON object) from FILE or stdin → one JSON result on stdout; a malformed
case prints `error: <field>: <what is wrong>` on stderr and exits 2. `--jsonl`: one case per
line → one result per line in order; a failing line gives `{"id": ..., "error": "..."}`, the
run goes on and exits 2 at the end. `--explain` adds the bilingual trace on stderr.
`--parameters FILE` layers a YAML file of dated values over the shipped parameters (a what-if
checked by hand): an unknown name, a wrong unit or a malformed entry is an error naming the
entry, exit 2, before any case is read.
Never a traceback: anything unexpected becomes an error line too.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

import yaml

from mileage.rules.engine import evaluate_with_trace
from mileage.rules.errors import ParameterFileError, RulesError
from mileage.rules.outcome import TraceLine
from mileage.rules.params import Parameters, default_parameters

USAGE = "usage: mileage rules eval [--jsonl] [--explain] [--parameters FILE] [FILE]"


class _BadJson(Exception):
    pass


def _reject_constant(name: str) -> Any:
    raise _BadJson(f"JSON에 허용되지 않는 값 {name} (not valid JSON: {name})")


def _load(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except _BadJson as exc:
        raise RulesErrorLine("json", str(exc)) from None
    except (json.JSONDecodeError, RecursionError) as exc:
        raise RulesErrorLine("json", f"JSON 형식이 아닙니다 (bad JSON: {exc})") from None


class RulesErrorLine(Exception):
    """An error to report as `<field>: <what>`."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.line = f"{field}: {problem}"


def load_overrides(text: str, base: Parameters | None = None) -> Parameters:
    """`--parameters FILE`: the shipped parameters with the file's entries layered on top.

    The file maps dotted names (`common.seoul_average_annual_km`) to entries shaped like the
    parameter file's `values:` (`2023: {value: 9800, source: "what-if"}`); an entry replaces
    the value at the same date or year, or adds one. Errors are `RulesErrorLine`s naming the
    entry: `parameters: <name> [<key>]: <what is wrong>`."""
    base = base or default_parameters()
    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: a date such as 2023-02-30
        raise RulesErrorLine("parameters", f"YAML 형식이 아닙니다 (bad YAML: {exc})") from None
    if not isinstance(data, dict) or not data:
        raise RulesErrorLine(
            "parameters", "이름 → 값 목록의 매핑이어야 합니다 (a mapping of names to entries)"
        )
    params = base
    for name, entries in data.items():
        if not isinstance(name, str) or not isinstance(entries, dict) or not entries:
            raise RulesErrorLine(
                f"parameters: {name}",
                "날짜나 연도 → 값의 매핑이어야 합니다 (entries must map a date or year to"
                " {value: ..., source: ...})",
            )
        for key, entry in entries.items():
            if not isinstance(entry, dict):
                raise RulesErrorLine(
                    f"parameters: {name} [{key}]",
                    "{value: ..., source: ...} 형식이어야 합니다 (malformed entry)",
                )
        try:
            params = params.with_overrides({name: entries})
        except ParameterFileError as exc:
            where = exc.path.removeprefix("override ")
            raise RulesErrorLine(f"parameters: {where}", exc.problem) from None
    return params


def evaluate_text(
    text: str, params: Parameters | None = None
) -> tuple[Any, dict[str, Any] | None, list[TraceLine], str | None]:
    """Parse and evaluate one case: (case id, result or None, trace, error line or None)."""
    case_id: Any = None
    try:
        case = _load(text)
        if isinstance(case, dict):
            case_id = case.get("id")
        result, trace = evaluate_with_trace(case, params)
        return case_id, result, trace, None
    except RulesError as exc:
        return case_id, None, [], exc.line()
    except RulesErrorLine as exc:
        return case_id, None, [], exc.line
    except Exception as exc:  # never a traceback (RULES-CLI)
        return (
            case_id,
            None,
            [],
            f"internal: 처리하지 못한 오류 (unexpected {type(exc).__name__}: {exc})",
        )


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _print_trace(trace: list[TraceLine], err: TextIO, header: str | None = None) -> None:
    if header is not None:
        print(f"# {header}", file=err)
    for line in trace:
        print(line.text("ko"), file=err)
        print(f"  {line.text('en')}", file=err)


def _read_input(path: str | None, stdin: TextIO) -> str:
    if path is None or path == "-":
        data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
    else:
        with open(path, "rb") as handle:
            data = handle.read()
    if isinstance(data, bytes):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RulesErrorLine("input", f"UTF-8이 아닙니다 (not UTF-8: {exc})") from None
    return data


def _utf8(stream: TextIO) -> None:
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(encoding="utf-8")
        except (ValueError, OSError):
            pass


def run_eval(args: Sequence[str], stdin: TextIO, out: TextIO, err: TextIO) -> int:
    """`eval` with its options; returns the exit status (0 or 2)."""
    jsonl = explain = False
    paths: list[str] = []
    parameters_path: str | None = None
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "--jsonl":
            jsonl = True
        elif arg == "--explain":
            explain = True
        elif arg == "--parameters" or arg.startswith("--parameters="):
            if arg == "--parameters" and not rest:
                print(f"error: --parameters: 파일이 없습니다 (FILE missing)\n{USAGE}", file=err)
                return 2
            parameters_path = rest.pop(0) if arg == "--parameters" else arg.split("=", 1)[1]
        elif arg.startswith("--") or (arg.startswith("-") and arg != "-"):
            print(f"error: {arg}: 알 수 없는 옵션 (unknown option)\n{USAGE}", file=err)
            return 2
        else:
            paths.append(arg)
    if len(paths) > 1:
        print(f"error: FILE: 파일은 하나만 (at most one FILE)\n{USAGE}", file=err)
        return 2
    params: Parameters | None = None
    if parameters_path is not None:
        try:
            with open(parameters_path, encoding="utf-8-sig") as handle:
                params = load_overrides(handle.read())
        except RulesErrorLine as exc:
            print(f"error: {exc.line}", file=err)
            return 2
        except (OSError, UnicodeDecodeError) as exc:
            print(
                f"error: --parameters: 파일을 읽을 수 없습니다 (cannot read {parameters_path}:"
                f" {exc})",
                file=err,
            )
            return 2
    try:
        text = _read_input(paths[0] if paths else None, stdin)
    except RulesErrorLine as exc:
        print(f"error: {exc.line}", file=err)
        return 2
    except OSError as exc:
        print(
            f"error: FILE: 파일을 읽을 수 없습니다 (cannot read {paths[0]}: {exc.strerror})",
            file=err,
        )
        return 2
    if not jsonl:
        _, result, trace, error = evaluate_text(text, params)
        if error is not None:
            print(f"error: {error}", file=err)
            return 2
        if explain:
            _print_trace(trace, err)
        print(_dump(result), file=out)
        return 0
    failed = False
    for line in text.splitlines():
        if not line.strip():
            continue
        case_id, result, trace, error = evaluate_text(line, params)
        if error is not None:
            failed = True
            print(_dump({"id": case_id, "error": error}), file=out)
            if explain:
                print(f"# {case_id}: error: {error}", file=err)
            continue
        if explain:
            _print_trace(trace, err, header=str(case_id))
        print(_dump(result), file=out)
    return 2 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    """`mileage rules ...`: dispatches `eval`; anything else prints the usage and exits 2."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] != ["eval"]:
        print(USAGE, file=sys.stderr)
        return 2
    _utf8(sys.stdout)
    _utf8(sys.stderr)
    try:
        return run_eval(args[1:], sys.stdin, sys.stdout, sys.stderr)
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a traceback
        print(f"error: internal: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
