"""Build hook: the wheel ships the bundled dataset compiled, beside its YAML.

``pip install .`` (or any wheel build) compiles ``data/reports.yaml`` with the package's
own compile into ``ngs_cli/data/reports.sqlite``, so that no user's first command
compiles it (``ngs_cli/store/bundled.py``). Built here rather than kept in the
repository: it always matches the YAML and the compile of the very commit it is built
from, and a binary file has no diffs to review. An editable install gets none: it reads
the source tree, whose YAML changes as it is edited, and compiles into the cache.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileBundledData(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        self._folder = tempfile.mkdtemp(prefix="ngs-build-")
        db_path = Path(self._folder) / "reports.sqlite"
        sys.path.insert(0, str(root / "src"))
        try:
            from ngs_cli.store.bundled import SHIPPED_NAME, build_shipped

            build_shipped(root / "data" / "reports.yaml", db_path)
        finally:
            sys.path.remove(str(root / "src"))
            for module in [m for m in sys.modules if m == "ngs_cli" or m.startswith("ngs_cli.")]:
                del sys.modules[module]
        build_data["force_include"][str(db_path)] = f"ngs_cli/data/{SHIPPED_NAME}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        folder = getattr(self, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
