"""The architecture, held by a test: `formats/` is pure, and installing epaper adds no generic import name.

`formats/` holds the readers (bytes → model) and the writers (model → bytes): they may import the standard
library, third-party libraries, the model, the errors and each other, nothing else of epaper, and they run in
one process (no forks, pools or subprocesses). Orchestration (parallel parsing, the archive, font discovery
and caches) belongs to `epaper_cli/`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.helpers import ROOT

FORMATS = ROOT / "formats"
ALLOWED_FROM_EPAPER = {"epaper_cli.model", "epaper_cli.errors"}
FORBIDDEN_IN_FORMATS = {"multiprocessing", "concurrent", "subprocess", "typer", "click", "threading"}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module a source file imports, absolute, with its line (relative imports resolved in formats/)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = "epaper_cli.formats" + (f".{base}" if base else "")
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names if base.startswith("epaper_cli")]
    return found


@pytest.mark.parametrize("path", sorted(FORMATS.glob("*.py")), ids=lambda p: p.name)
def test_formats_import_only_the_model_the_errors_and_each_other(path: Path) -> None:
    wrong = []
    for line, module in imported_modules(path):
        top = module.split(".")[0]
        if top in FORBIDDEN_IN_FORMATS:
            wrong.append(f"line {line}: {module} (formats run in one process and know nothing of the CLI)")
        elif top == "epaper_cli" and not (
            module in ALLOWED_FROM_EPAPER
            or module.startswith(tuple(f"{name}." for name in ALLOWED_FROM_EPAPER))
            or module == "epaper_cli.formats"
            or module.startswith("epaper_cli.formats.")
        ):
            wrong.append(f"line {line}: {module} (only the model and the errors)")
    text = path.read_text(encoding="utf-8")
    if re.search(r"\bos\.fork\b", text):
        wrong.append("forks a process")
    assert not wrong, f"{path.name}: " + "; ".join(wrong)


def test_no_code_imports_the_top_level_name_formats() -> None:
    """Installed, the format modules are `epaper_cli.formats`: a top-level `formats` would clash with others'."""
    offenders = []
    for folder in ("epaper_cli", "formats", "tests", "bench"):
        for path in sorted((ROOT / folder).glob("*.py")):
            for line, module in imported_modules(path):
                if module == "formats" or module.startswith("formats."):
                    offenders.append(f"{folder}/{path.name}:{line} imports {module}")
    assert not offenders


def test_the_wheel_installs_only_epaper_cli() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    listed = re.search(r"(?m)^packages = \[(.*)\]", pyproject)
    assert listed is not None
    packages = re.findall(r'"([^"]+)"', listed[1])
    assert packages and all(name == "epaper_cli" or name.startswith("epaper_cli.") for name in packages)
    link = ROOT / "epaper_cli" / "formats"
    assert link.resolve() == FORMATS.resolve(), "epaper_cli/formats is the top-level formats/ folder"


def test_the_format_modules_resolve_to_the_top_level_folder() -> None:
    import epaper_cli.formats

    assert Path(epaper_cli.formats.__file__).resolve().parent == FORMATS.resolve()
