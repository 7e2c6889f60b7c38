"""The dependency rule: schemas ← extractors ← pipeline, and each tool through one module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# module that may import the tool → tools only it may import
TOOL_OWNERS = {
    "pytesseract": {"extractors/ocr.py"},
    "pdf2image": {"extractors/rasterize.py"},
    "pypdf": {"extractors/rasterize.py"},
    "prefect": {"pipeline/"},
    "weasyprint": {"extractors/pdf.py"},
    "fastapi": {"pipeline/review_app.py"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", ["schemas", "extractors", "pipeline"])
def test_packages_exist(package: str) -> None:
    assert _modules(package), f"{package}/ has no module"


@pytest.mark.parametrize("path", _modules("schemas"), ids=lambda p: p.name)
def test_schemas_import_nothing_of_the_project(path: Path) -> None:
    assert not _imports(path) & {"extractors", "pipeline", "sample_scans", "training"}


@pytest.mark.parametrize("path", _modules("extractors"), ids=lambda p: p.name)
def test_extractors_never_import_the_pipeline_or_prefect(path: Path) -> None:
    assert not _imports(path) & {"pipeline", "prefect", "sample_scans", "training"}


@pytest.mark.parametrize("tool", sorted(TOOL_OWNERS))
def test_each_tool_enters_through_one_module(tool: str) -> None:
    owners = TOOL_OWNERS[tool]
    for package in ("schemas", "extractors", "pipeline"):
        for path in _modules(package):
            rel = path.relative_to(ROOT).as_posix()
            if tool in _imports(path):
                assert any(rel == o or rel.startswith(o) for o in owners if o), (
                    f"{rel} imports {tool}; only {sorted(owners)} may"
                )
