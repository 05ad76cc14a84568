"""The layers run one way (README "Layers"): import-linter's contracts in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def test_no_module_imports_against_the_layers():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports), "--no-logo", "--no-cache"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_every_package_of_the_project_is_in_the_contracts():
    """A new app (outbox, say) must be placed in a layer, or the contract does not see it."""
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"bench", "static", "templates"}
    assert packages == set(_config()["root_packages"]), "add the package to [tool.importlinter] and a layer"
    layered = {name.strip(" ()") for contract in _config()["contracts"] if contract["type"] == "layers"
               for layer in contract["layers"] for name in layer.replace(":", "|").split("|")}
    assert packages <= layered, f"not in a layer: {sorted(packages - layered)}"


def test_no_test_module_imports_another_test_modules_helpers():
    """Shared helpers and fixtures live in the test package (testing/) or a conftest.py."""
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(*_config()["root_packages"], include_external_packages=False)
    crossing = sorted(f"{i['importer']} -> {i['imported']}" for i in
                      graph.find_matching_direct_imports(import_expression="*.tests.* -> *.tests.*"))
    assert crossing == []
