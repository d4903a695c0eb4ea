"""docs/architecture.md's arrow list is the package-level import graph of `mileage`, exactly."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]


def _documented() -> dict[str, set[str]]:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = re.search(r"```arrows\n(.*?)```", text, re.S)
    assert block, "docs/architecture.md has no ```arrows block"
    arrows: dict[str, set[str]] = {}
    for line in block.group(1).strip().splitlines():
        source, targets = (part.strip() for part in line.split("->"))
        arrows[source] = {t.strip() for t in targets.split(",")}
    return arrows


def _imported() -> dict[str, set[str]]:
    graph = grimp.build_graph("mileage", cache_dir=None)
    arrows: dict[str, set[str]] = defaultdict(set)
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            source, target = module.split(".")[1:2], imported.split(".")[1:2]
            if source and target and source != target and imported.startswith("mileage."):
                if graph.find_children(f"mileage.{source[0]}"):  # packages, not mileage/cli.py
                    arrows[source[0]].add(target[0])
    return dict(arrows)


def test_the_documented_arrows_are_the_import_graph() -> None:
    assert _documented() == _imported()
