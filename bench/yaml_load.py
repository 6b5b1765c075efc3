"""Why epaper reads its issue files with its own reader: loading time, canonical reader against PyYAML's CSafeLoader.

Imports generated issues of 80, 128 and 192 articles (about 340, 540 and 820 KB) with `epaper import`, then
loads each issue file both ways (each followed by the same schema check) and prints the medians. Run it with
the Python that has epaper installed:

    python bench/yaml_load.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import corpus
import yaml
from harness import find_tool

from epaper_cli import schema, yamltext


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    epaper = find_tool("epaper")
    if epaper is None:
        raise SystemExit("yaml_load: no `epaper` command next to this Python or on PATH: run `pip install .` first")
    with tempfile.TemporaryDirectory(prefix="epaper-yaml-load-") as folder:
        work = Path(folder)
        for pages in (10, 16, 24):
            captures = work / f"captures-{pages}"
            corpus.write_captures(captures, [corpus.make_export_issue(pages, 8)])
            archive = work / f"archive-{pages}"
            subprocess.run([epaper, "import", "-q", "--archive", str(archive), str(captures)], check=True,
                           stdout=subprocess.DEVNULL)  # fmt: skip
            path = next(archive.rglob("*.yaml"))
            text = path.read_text(encoding="utf-8")
            canonical, pyyaml = [], []
            for _ in range(args.runs):
                start = time.perf_counter()
                schema.issue_from_data(yamltext.read_canonical(text), str(path))
                canonical.append(time.perf_counter() - start)
                start = time.perf_counter()
                schema.issue_from_data(yaml.load(text, Loader=yaml.CSafeLoader), str(path))
                pyyaml.append(time.perf_counter() - start)
            print(
                f"{pages * 8} articles, {len(text.encode()) // 1024} KB: canonical reader "
                f"{statistics.median(canonical) * 1000:.1f} ms, CSafeLoader {statistics.median(pyyaml) * 1000:.1f} ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
