"""Start-up and scale benchmark for ngs, in one run.

    python benchmarks/run.py            # the full run (about two minutes)
    python benchmarks/run.py --quick    # fewer repetitions

Run it with the Python of an environment where ngs is installed. It measures, as medians
of interleaved runs (so that a noisy machine slows every command alike):

- the floor: an empty Typer app with two commands, invoked, on the installed Typer;
- every command over the bundled dataset, as a ratio to the floor (budget 1.5);
- ``ngs list --city Utrecht --format json`` against ``yq`` selecting the same meetings;
- ``list`` with a filter and ``search`` on synthetic datasets of 1,000 and 5,000 meetings,
  warm (cache built), as ratios to the floor (budgets 4 and 8), with peak memory
  (budget 500 MB).

It exits 1 when a budget is exceeded.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import write_dataset  # noqa: E402

FLOOR = (
    "import typer; app=typer.Typer(); app.command('a')(lambda: None); "
    "app.command('b')(lambda: None); app(['a'])"
)
BUDGET_START = 1.5
BUDGET_LIST = 4.0
BUDGET_SEARCH = 8.0
BUDGET_MEMORY_MB = 500


def ngs_command() -> list[str]:
    script = Path(sys.executable).parent / "ngs"
    if script.exists():
        return [str(script)]
    found = shutil.which("ngs")
    if not found:
        sys.exit("ngs is not installed in this environment: pip install . first")
    return [found]


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time in seconds and peak memory in MB of one run."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {err}")
    if proc.stderr:
        proc.stderr.close()
    return elapsed, usage.ru_maxrss / 1024


def medians(
    cases: dict[str, list[str]], env: dict[str, str], rounds: int
) -> dict[str, tuple[float, float]]:
    """Median wall time and peak memory per case, running the cases interleaved."""
    times: dict[str, list[float]] = {k: [] for k in cases}
    memory: dict[str, float] = {k: 0.0 for k in cases}
    for argv in cases.values():  # warm-up: caches, page cache
        run_once(argv, env)
    for _ in range(rounds):
        for name, argv in cases.items():
            t, m = run_once(argv, env)
            times[name].append(t)
            memory[name] = max(memory[name], m)
    return {k: (statistics.median(v), memory[k]) for k, v in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--rounds", type=int, default=None)
    args = parser.parse_args()
    rounds = args.rounds or (5 if args.quick else 15)
    ngs = ngs_command()
    failures: list[str] = []

    with tempfile.TemporaryDirectory(prefix="ngs-bench-") as tmp:
        env = {k: v for k, v in os.environ.items() if k not in ("NGS_DATA", "NO_COLOR")}
        env["NGS_CACHE_DIR"] = str(Path(tmp) / "cache")
        env["COLUMNS"] = "100"
        py = sys.executable
        import typer

        print(
            f"Python {sys.version.split()[0]}, Typer {typer.__version__}, "
            f"{os.cpu_count()} cores; medians of {rounds} interleaved runs\n"
        )

        # 1. Start-up over the bundled dataset.
        bundled = subprocess.run(
            [*ngs, "validate"], capture_output=True, text=True, env=env
        ).stdout.split(":")[0]
        cases = {
            "floor (empty Typer app)": [py, "-c", FLOOR],
            "python -c pass": [py, "-c", "pass"],
            "ngs --version": [*ngs, "--version"],
            "ngs list": [*ngs, "list"],
            "ngs list --format json": [*ngs, "list", "--format", "json"],
            "ngs list --format csv": [*ngs, "list", "--format", "csv"],
            "ngs list --format table": [*ngs, "list", "--format", "table"],
            "ngs list --theme radicalisering": [*ngs, "list", "--theme", "radicalisering"],
            "ngs show 2023": [*ngs, "show", "2023"],
            "ngs show 2023 --format markdown": [*ngs, "show", "2023", "--format", "markdown"],
            "ngs export --format csv": [*ngs, "export", "--format", "csv"],
            "ngs export --format json": [*ngs, "export", "--format", "json"],
            "ngs export --format markdown": [*ngs, "export", "--format", "markdown"],
            "ngs search carbid": [*ngs, "search", "carbid"],
            "ngs people": [*ngs, "people"],
            "ngs timeline": [*ngs, "timeline"],
            "completion of --city": [*ngs],
        }
        yq = shutil.which("yq")
        if yq:
            cases["yq: Utrecht ids"] = [
                yq,
                "-r",
                '.meetings[] | select(.city == "Utrecht") | .id',
                bundled,
            ]
        cases["ngs list --city Utrecht --format json"] = [
            *ngs,
            "list",
            "--city",
            "Utrecht",
            "--format",
            "json",
        ]
        complete_env = {
            **env,
            "_NGS_COMPLETE": "complete_bash",
            "COMP_WORDS": "ngs list --city U",
            "COMP_CWORD": "3",
        }
        results = medians(
            {k: v for k, v in cases.items() if k != "completion of --city"}, env, rounds
        )
        results["completion of --city"] = medians(
            {"c": cases["completion of --city"]}, complete_env, rounds
        )["c"]
        floor = results["floor (empty Typer app)"][0]
        print(f"{'command (bundled dataset)':<42} {'median':>8} {'x floor':>8}  budget")
        for name in cases:
            t, _ = results[name]
            ratio = t / floor
            budget = ""
            if name.startswith(("ngs", "completion")):
                ok = ratio <= BUDGET_START
                budget = f"<= {BUDGET_START}  {'ok' if ok else 'OVER'}"
                if not ok:
                    failures.append(f"{name}: {ratio:.2f} x floor")
            print(f"{name:<42} {t * 1000:7.1f}ms {ratio:8.2f}  {budget}")
        if yq:
            ours = results["ngs list --city Utrecht --format json"][0]
            theirs = results["yq: Utrecht ids"][0]
            ok = ours < theirs
            print(
                f"\nngs list --city Utrecht vs yq on the same file: {ours / theirs:.2f} "
                f"(must be < 1)  {'ok' if ok else 'OVER'}"
            )
            if not ok:
                failures.append("slower than yq")
        else:
            print("\nyq is not installed (apt-get install yq): peer comparison skipped")

        # 2. Scale.
        print(f"\n{'scale (warm cache)':<42} {'median':>8} {'x floor':>8} {'peak MB':>8}  budget")
        for n in (1000, 5000):
            path = write_dataset(Path(tmp) / f"ngs-{n}.yaml", n)
            started = time.perf_counter()
            _, cold_mb = run_once([*ngs, "list", "--data", str(path), "--limit", "1"], env)
            cold = time.perf_counter() - started
            scale_cases = {
                f"{n}: list --city Utrecht": [
                    *ngs,
                    "list",
                    "--data",
                    str(path),
                    "--city",
                    "Utrecht",
                ],
                f"{n}: list --theme radicalisering --format json": [
                    *ngs,
                    "list",
                    "--data",
                    str(path),
                    "--theme",
                    "radicalisering",
                    "--format",
                    "json",
                ],
                f"{n}: search carbid politie": [
                    *ngs,
                    "search",
                    "--data",
                    str(path),
                    "carbid",
                    "politie",
                ],
                f"{n}: search veiligheid (hits nearly all)": [
                    *ngs,
                    "search",
                    "--data",
                    str(path),
                    "veiligheid",
                ],
                f"{n}: search carbid --limit 10": [
                    *ngs,
                    "search",
                    "--data",
                    str(path),
                    "carbid",
                    "--limit",
                    "10",
                ],
                f"{n}: show m000042": [*ngs, "show", "--data", str(path), "m000042"],
                f"{n}: export --format csv": [*ngs, "export", "--data", str(path)],
            }
            floor_case = {"floor": [py, "-c", FLOOR]}
            scale = medians({**floor_case, **scale_cases}, env, max(3, rounds // 3))
            floor_n = scale.pop("floor")[0]
            size = path.stat().st_size / 1e6
            print(
                f"{n}: first run, parse and cache ({size:.0f} MB YAML)"
                f"{'':<3} {cold * 1000:7.0f}ms {cold / floor_n:8.2f} {cold_mb:8.0f}  "
                f"(cold, no budget)"
            )
            for name, (t, mb) in scale.items():
                ratio = t / floor_n
                limit = BUDGET_SEARCH if "search" in name else BUDGET_LIST
                budgeted = "list" in name or "search" in name
                ok = (ratio <= limit or not budgeted) and mb <= BUDGET_MEMORY_MB
                note = (
                    f"<= {limit:g}, <= {BUDGET_MEMORY_MB} MB"
                    if budgeted
                    else f"<= {BUDGET_MEMORY_MB} MB"
                )
                print(
                    f"{name:<42} {t * 1000:7.1f}ms {ratio:8.2f} {mb:8.0f}  {note}  "
                    f"{'ok' if ok else 'OVER'}"
                )
                if not ok:
                    failures.append(f"{name}: {ratio:.2f} x floor, {mb:.0f} MB")
            if cold_mb > BUDGET_MEMORY_MB:
                failures.append(f"{n}: first run used {cold_mb:.0f} MB")

    print("\nall within budget" if not failures else "\nover budget:\n  " + "\n  ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
