"""Start-up and scale benchmark for ngs, in one run, with its budgets.

    pip install '.[bench]'              # ngs and the peer, sqlite-utils
    python benchmarks/run.py            # the full run (about five minutes)
    python benchmarks/run.py --quick    # fewer repetitions, no 20,000-meeting first run
    python benchmarks/run.py --only html      # one part: table, bundled, scale, first,
                                              # progress, html or page
    python benchmarks/run.py --instructions   # also instruction counts (valgrind)

Run it with the Python of an environment where ngs is installed (not editable: an
editable install may compile its modules on every call, and ships no compiled bundled
data). It measures, as medians of interleaved runs (so that a noisy machine slows every
case alike), ratios to the *floor*, an empty two-command Typer app on the installed Typer:

- issue 21's table, side by side: the first command after ``pip install .`` (bundled
  data, empty cache) at most 1.5x the floor; the first run at 5,000 meetings at most
  1.5x PyYAML's C loader parsing the file with the garbage collector off (and 1.2x its
  peak memory); ``list --city Utrecht --format json`` at 20,000 meetings, warm, at most
  2x the floor;
- every command over the bundled dataset: at most 1.3x the floor;
- 5,000 meetings, warm: ``ngs search carbid`` against ``sqlite-utils search`` over the
  same meetings and the same FTS5 index (ngs's own ``export --format sqlite``): ratio < 1;
- 20,000 meetings, warm: ``list --city``, ``show ID`` and ``search --limit 20`` at most
  2x the floor and 100 MB peak memory;
- the first run after a change at 5,000 and 20,000 meetings: at most 1.5x the time
  and 1.2x the peak memory of PyYAML's C loader alone parsing the same file (gc off),
  and the compile's stages at 5,000 (read, hash, scan, parse, validate, insert, FTS);
- that first run at 5,000 meetings with its progress drawn on a (pseudo-)terminal: at
  most 1.03x the time of the same run with stderr in a pipe, where nothing is drawn.
- the HTML page of 2,000 meetings in Chromium (the system's, driven by Playwright, from
  the test extra): each keystroke in its search box, filtering and drawn, under a second,
  and at the median under 100 ms.
- a saved page of 50 MB (5 with --quick): ``validate --source`` of the whole page and
  ``draft`` of one verslag that long, at most 10x lexbor alone reading the file (medians
  of three runs, interleaved with the parser's; one with --quick).

It exits 1 when a budget is exceeded.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

FLOOR = (
    "import typer; app=typer.Typer(); app.command('a')(lambda: None); "
    "app.command('b')(lambda: None); app(['a'])"
)
# PyYAML's C loader alone, with the garbage collector off (as ngs parses).
PARSE = (
    "import gc, sys, yaml; gc.disable(); "
    "yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"
)
# The first compile's stages, each timed in one process: what benchmarks/run.py prints
# under "stages" (the compile's own functions, called in the order the compile calls them).
STAGES = """
import gc, hashlib, json, os, sqlite3, sys, tempfile, time
from ngs_cli.store import database, index, source
path, times = sys.argv[1], {}
def timed(name, work):
    started = time.perf_counter()
    result = work()
    times[name] = time.perf_counter() - started
    return result
def read():
    with open(path, "rb") as f:
        while f.read(1 << 20):
            pass
timed("read (the bytes alone)", read)
raw = open(path, "rb").read()
timed("hash (SHA-256 alone)", lambda: hashlib.sha256(raw).hexdigest())
del raw
gc.disable()
with source.open_data(source.Path(path)) as (fd, st):
    data = source.DataSource(path, fd=fd)
    timed("scan (read, check, hash)", data.scan)
    document = timed("parse", lambda: source.parse(data, path))
    valid = timed("validate", lambda: source.validate_document(data, path, document))
    del document
    folder = tempfile.mkdtemp()
    conn = sqlite3.connect(os.path.join(folder, "db.sqlite"))
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    timed("tables", lambda: database.create_tables(conn, valid, data.sha256))
    timed("insert", lambda: database.insert_records(conn, valid))
    timed("FTS build", lambda: index.build_search_index(conn))
    timed("commit", conn.commit)
print(json.dumps(times))
"""
BUDGET_START = 1.3
BUDGET_SCALE = 2.0
BUDGET_SCALE_MB = 100
BUDGET_FIRST_TIME = 1.5
BUDGET_FIRST_MEMORY = 1.2
# The table of issue 21: the first command after installing, the first run at 5,000
# meetings, and a big JSON output at 20,000.
BUDGET_INSTALLED_FIRST = 1.5
BUDGET_BIG_JSON = 2.0
BUDGET_PROGRESS = 1.03
BUDGET_KEYSTROKE_MS = 1000
BUDGET_KEYSTROKE_MEDIAN_MS = 100  # issue 32: the page filters 2,000 meetings a keystroke
BUDGET_PAGE = 10.0  # draft and validate --source of a saved page: x the parser alone
PARTS = ("table", "bundled", "scale", "first", "progress", "html", "page")
# lexbor alone reading a saved page (the file read, then parsed), as the page reader does.
PAGE_PARSE = (
    "import sys; from selectolax.lexbor import LexborHTMLParser; "
    "LexborHTMLParser(open(sys.argv[1], encoding='utf-8').read())"
)


def tool(name: str) -> str | None:
    script = Path(sys.executable).parent / name
    return str(script) if script.exists() else shutil.which(name)


def run_once(argv: list[str], env: dict[str, str], *, verdict: bool = False) -> tuple[float, float]:
    """Wall time in seconds and peak memory in MB of one run; ``verdict`` for a command
    whose exit status 1 is an answer (the page and the data disagree), not a failure."""
    started = time.perf_counter()
    err_to = subprocess.DEVNULL if verdict else subprocess.PIPE
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err_to, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if code != 0 and not (verdict and code == 1):
        raise SystemExit(f"{' '.join(argv)} failed ({code}): {err}")
    return elapsed, usage.ru_maxrss / 1024


def medians(
    cases: dict[str, list[str]],
    env: dict[str, str],
    rounds: int,
    warm: bool = True,
    envs: dict[str, dict[str, str]] | None = None,
) -> dict[str, tuple[float, float]]:
    """Median wall time and peak memory per case, running the cases interleaved.

    ``envs`` gives some cases an environment of their own (completion).
    """
    envs = envs or {}
    times: dict[str, list[float]] = {k: [] for k in cases}
    memory: dict[str, float] = {k: 0.0 for k in cases}
    if warm:
        for name, argv in cases.items():  # caches, page cache
            run_once(argv, envs.get(name, env))
    for _ in range(rounds):
        for name, argv in cases.items():
            t, m = run_once(argv, envs.get(name, env))
            times[name].append(t)
            memory[name] = max(memory[name], m)
    return {k: (statistics.median(v), memory[k]) for k, v in times.items()}


def generate(path: Path, n: int) -> Path:
    """A synthetic dataset, written by another process: a child's peak memory counts
    from its parent's size at fork, so this process stays small."""
    subprocess.run([sys.executable, str(HERE / "generate.py"), str(n), str(path)], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return path


class Report:
    def __init__(self) -> None:
        self.failures: list[str] = []

    def line(
        self, name: str, ms: float, ratio: float, mb: float | None, budget: str, ok: bool | None
    ) -> None:
        verdict = "" if ok is None else ("ok" if ok else "OVER")
        memory = f"{mb:8.0f}" if mb is not None else " " * 8
        print(f"{name:<46} {ms:9.1f} {ratio:7.2f} {memory}  {budget} {verdict}".rstrip())
        if ok is False:
            self.failures.append(f"{name}: {ratio:.2f} ({budget})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--only", choices=PARTS, help="run one part")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count the bundled commands' instructions with valgrind (noise-free)",
    )
    args = parser.parse_args()
    rounds = args.rounds or (5 if args.quick else 15)
    ngs = tool("ngs")
    if ngs is None:
        sys.exit("ngs is not installed in this environment: pip install '.[bench]' first")
    report = Report()
    py = sys.executable
    import typer

    print(
        f"Python {sys.version.split()[0]}, Typer {typer.__version__}, "
        f"{os.cpu_count()} cores; medians of {rounds} interleaved runs\n"
    )
    with tempfile.TemporaryDirectory(prefix="ngs-bench-") as tmp:
        env = {k: v for k, v in os.environ.items() if k not in ("NGS_DATA", "NO_COLOR")}
        env["NGS_CACHE_DIR"] = str(Path(tmp) / "cache")
        env["COLUMNS"] = "100"
        floor = [py, "-c", FLOOR]

        parts = [args.only] if args.only else list(PARTS)
        paths: dict[int, Path] = {}
        if any(part in parts for part in ("scale", "first", "table", "progress")):
            # --quick --only first (or --only progress) needs only the 5,000-meeting file.
            only_5000 = ("scale" not in parts and "table" not in parts
                         and (args.quick or "first" not in parts))  # fmt: skip
            sizes = (5000,) if only_5000 else (5000, 20000)
            paths = {n: generate(Path(tmp) / f"ngs-{n}.yaml", n) for n in sizes}
        if "table" in parts:
            table(
                report,
                ngs,
                py,
                env,
                floor,
                paths,
                Path(tmp),
                args.rounds or (3 if args.quick else 7),
            )
        if "bundled" in parts:
            cases = bundled(report, ngs, py, env, floor, rounds)
            if args.instructions:
                instruction_counts(cases)
        if "scale" in parts:
            scale(report, ngs, env, floor, rounds, paths, Path(tmp))
        if "first" in parts:
            # --quick leaves out the 20,000-meeting first run, the longest part.
            first = {n: p for n, p in paths.items() if not (args.quick and n > 5000)}
            first_run(report, ngs, py, env, first, Path(tmp), 1 if args.quick else 3)
        if "progress" in parts:
            progress_cost(report, ngs, env, paths[5000], Path(tmp), 3 if args.quick else 7)
        if "html" in parts:
            html_page(report, ngs, env, Path(tmp), 1 if args.quick else 3)
        if "page" in parts:
            saved_page(
                report, ngs, py, env, Path(tmp), 5 if args.quick else 50, 1 if args.quick else 3
            )

    failures = report.failures
    print("\nall within budget" if not failures else "\nover budget:\n  " + "\n  ".join(failures))
    return 1 if failures else 0


def table(
    report: Report,
    ngs: str,
    py: str,
    env: dict[str, str],
    floor: list[str],
    paths: dict[int, Path],
    tmp: Path,
    rounds: int,
) -> None:
    """0. The three rows of issue 21's table, each a ratio of medians measured side by
    side (interleaved) in one run: the very first command after ``pip install .`` (the
    bundled data, an empty cache), the first run at 5,000 meetings against PyYAML's C
    loader parsing the same file with the garbage collector off, and ``list --city
    Utrecht --format json`` at 20,000 meetings, warm."""
    big, first = str(paths[20000]), str(paths[5000])
    json_case = [ngs, "list", "--data", big, "--city", "Utrecht", "--format", "json"]
    run_once(json_case, env)  # compiles the 20,000 meetings: the JSON case is warm
    records = subprocess.run(json_case, capture_output=True, text=True, env=env).stdout
    count = records.count("\n") - 2  # "[", a line per record, "]"
    cases = {
        "floor": (floor, False),
        "installed first": ([ngs, "list", "--format", "csv"], True),
        "parse": ([py, "-c", PARSE, first], False),
        "first 5000": ([ngs, "list", "--data", first, "--limit", "1"], True),
        "json 20000": (json_case, False),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    memory: dict[str, float] = dict.fromkeys(cases, 0.0)
    for i in range(rounds):
        for name, (argv, cold) in cases.items():
            # A cold case gets a cache folder of its own that does not exist yet.
            case_env = {**env, "NGS_CACHE_DIR": str(tmp / f"table-{name}-{i}")} if cold else env
            t, mb = run_once(argv, case_env)
            times[name].append(t)
            memory[name] = max(memory[name], mb)
            compiled = (
                cold and name == "installed first" and Path(case_env["NGS_CACHE_DIR"]).exists()
            )
            if compiled and i == 0:
                print("(the first command after installing compiled: no compiled data shipped)")
    median = {name: statistics.median(t) for name, t in times.items()}
    print(f"{'issue 21: the table, side by side':<46} {'ms':>9} {'ratio':>7} {'peak MB':>8}")
    rows = [
        ("floor (empty Typer app)", "floor", "floor", None, None),
        ("installed, first command: list --format csv", "installed first", "floor",
         BUDGET_INSTALLED_FIRST, None),
        ("PyYAML C loader, gc off (5000 meetings)", "parse", "parse", None, None),
        ("first run, 5000 (list --limit 1) x parse", "first 5000", "parse", BUDGET_FIRST_TIME,
         BUDGET_FIRST_MEMORY),
        (f"20000 warm json, --city Utrecht ({count} records)", "json 20000",
         "floor", BUDGET_BIG_JSON, None),
    ]  # fmt: skip
    for label, name, base, budget, memory_budget in rows:
        ratio = median[name] / median[base]
        ok = ratio <= budget if budget is not None else None
        report.line(label, median[name] * 1000, ratio, memory[name],
                    f"<= {budget}" if budget else "", ok)  # fmt: skip
        if memory_budget is not None:
            mem = memory[name] / memory[base]
            report.line("  peak memory x parse's", 0, mem, None, f"<= {memory_budget}",
                        mem <= memory_budget)  # fmt: skip
    print()


def stages(py: str, path: Path, env: dict[str, str], rounds: int) -> None:
    """The first compile's stages at one size, as medians of ``rounds`` processes."""
    import json

    found: dict[str, list[float]] = {}
    for _ in range(rounds):
        run = subprocess.run([py, "-c", STAGES, str(path)], capture_output=True, text=True,
                             env=env, check=True)  # fmt: skip
        for name, seconds in json.loads(run.stdout).items():
            found.setdefault(name, []).append(seconds)
    print(f"  stages of the compile (medians of {rounds}):")
    for name, seconds in found.items():
        print(f"    {name:<42} {statistics.median(seconds) * 1000:9.1f}")


def bundled(
    report: Report, ngs: str, py: str, env: dict[str, str], floor: list[str], rounds: int
) -> dict[str, tuple[list[str], dict[str, str]]]:
    """1. Every command over the bundled dataset, against the floor; returns the cases."""
    cases = {
        "floor (empty Typer app)": floor,
        "python -c pass": [py, "-c", "pass"],
        "ngs --version": [ngs, "--version"],
        "ngs list": [ngs, "list"],
        "ngs list --format json": [ngs, "list", "--format", "json"],
        "ngs list --format ndjson": [ngs, "list", "--format", "ndjson"],
        "ngs list --format csv --fields id,date,city": [
            ngs, "list", "--format", "csv", "--fields", "id,date,city",
        ],
        "ngs list --theme radicalisering": [ngs, "list", "--theme", "radicalisering"],
        "ngs list --city Utrecht --format json": [
            ngs, "list", "--city", "Utrecht", "--format", "json",
        ],
        "ngs show 2023": [ngs, "show", "2023"],
        "ngs show 2023 --format markdown": [ngs, "show", "2023", "--format", "markdown"],
        "ngs export --format csv": [ngs, "export", "--format", "csv"],
        "ngs export --format json": [ngs, "export", "--format", "json"],
        "ngs export --format markdown": [ngs, "export", "--format", "markdown"],
        "ngs search carbid": [ngs, "search", "carbid"],
        "ngs people": [ngs, "people"],
        "ngs topics": [ngs, "topics"],
        "ngs timeline": [ngs, "timeline"],
        "ngs related 2014-rotterdam": [ngs, "related", "2014-rotterdam"],
        "ngs cite 2023 --style bibtex": [ngs, "cite", "2023", "--style", "bibtex"],
    }  # fmt: skip
    complete_env = {
        **env,
        "_NGS_COMPLETE": "complete_bash",
        "COMP_WORDS": "ngs list --city U",
        "COMP_CWORD": "3",
    }
    cases["completion of --city"] = [ngs]
    # The same in Dutch: the catalog is loaded on every call there.
    dutch_env = {**env, "LANGUAGE": "nl"}
    dutch = {
        "ngs list (Dutch)": [ngs, "list"],
        "ngs show 2023 (Dutch)": [ngs, "show", "2023"],
        "help: ngs list --help (Dutch)": [ngs, "list", "--help"],
    }
    # Help is drawn by Rich in either language: measured beside, not budgeted.
    cases["help: ngs list --help"] = [ngs, "list", "--help"]
    cases.update(dutch)
    yq = tool("yq")
    if yq:
        data_file = subprocess.run(
            [ngs, "validate"], capture_output=True, text=True, env=env
        ).stdout.split(":")[0]
        selector = '.meetings[] | select(.city == "Utrecht") | .id'
        cases["yq: Utrecht ids (peer)"] = [yq, "-r", selector, data_file]
    envs = {"completion of --city": complete_env, **dict.fromkeys(dutch, dutch_env)}
    results = medians(cases, env, rounds, envs=envs)
    base = results["floor (empty Typer app)"][0]
    print(f"{'bundled dataset (18 meetings), warm':<46} {'ms':>9} {'x floor':>7}")
    for name, (t, _) in results.items():
        budgeted = name.startswith(("ngs", "completion"))
        ok = t / base <= BUDGET_START if budgeted else None
        budget = f"<= {BUDGET_START}" if budgeted else ""
        report.line(name, t * 1000, t / base, None, budget, ok)
    return {name: (argv, envs.get(name, env)) for name, argv in cases.items()}


def instruction_counts(cases: dict[str, tuple[list[str], dict[str, str]]]) -> None:
    """The same commands counted in instructions (valgrind's callgrind), which give the
    same figure run after run however busy the machine is: a start-up regression shows
    here before the noise of wall time lets it through. Not a budget; time is."""
    if tool("valgrind") is None:
        print("\nvalgrind is not installed: instruction counts skipped")
        return
    print(f"\n{'bundled dataset, instructions (callgrind)':<46} {'million':>9} {'x floor':>7}")
    base = 0.0
    for name, (argv, case_env) in cases.items():
        if name.startswith(("python", "yq")):
            continue
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
            env=case_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        found = re.search(r"Collected : (\d+)", run.stderr)
        if run.returncode != 0 or found is None:
            raise SystemExit(f"{' '.join(argv)} failed under valgrind: {run.stderr[-500:]}")
        count = int(found.group(1)) / 1e6
        base = base or count  # the floor comes first
        print(f"{name:<46} {count:9.1f} {count / base:7.2f}")


def scale(
    report: Report,
    ngs: str,
    env: dict[str, str],
    floor: list[str],
    rounds: int,
    paths: dict[int, Path],
    tmp: Path,
) -> None:
    """2. Scale, warm, against the floor and the peer."""
    print(f"\n{'scale':<46} {'ms':>9} {'x floor':>7} {'peak MB':>8}")
    peer = tool("sqlite-utils")
    db5 = Path(tmp) / "ngs-5000.db"
    run_once([ngs, "export", "--data", str(paths[5000]), "--format", "sqlite", "-o", str(db5)],
             env)  # fmt: skip
    scale_cases = {"floor": floor, "5000: ngs search carbid": [
        ngs, "search", "--data", str(paths[5000]), "carbid"]}  # fmt: skip
    if peer:
        scale_cases["5000: sqlite-utils search carbid (peer)"] = [
            peer, "search", str(db5), "meeting_text", "carbid",
        ]  # fmt: skip
    big = str(paths[20000])
    scale_cases |= {
        "20000: list --city Utrecht": [ngs, "list", "--data", big, "--city", "Utrecht"],
        "20000: show m012345": [ngs, "show", "--data", big, "m012345"],
        "20000: search carbid --limit 20": [
            ngs, "search", "--data", big, "carbid", "--limit", "20",
        ],
        "20000: search veiligheid (hits nearly all)": [
            ngs, "search", "--data", big, "veiligheid",
        ],
    }  # fmt: skip
    results = medians(scale_cases, env, max(5, rounds // 2))
    base = results.pop("floor")[0]
    for name, (t, mb) in results.items():
        ok: bool | None = None
        budget = ""
        if name.startswith("20000") and "nearly all" not in name:
            ok = t / base <= BUDGET_SCALE and mb <= BUDGET_SCALE_MB
            budget = f"<= {BUDGET_SCALE:g}, <= {BUDGET_SCALE_MB} MB"
        report.line(name, t * 1000, t / base, mb, budget, ok)
    if peer:
        ours = results["5000: ngs search carbid"][0]
        theirs = results["5000: sqlite-utils search carbid (peer)"][0]
        ok = ours < theirs
        print(f"{'5000: ngs search / sqlite-utils search':<46} {'':>9} {ours / theirs:7.2f}"
              f"           < 1 {'ok' if ok else 'OVER'}")  # fmt: skip
        if not ok:
            report.failures.append(f"search slower than sqlite-utils: {ours / theirs:.2f}")
    else:
        print("sqlite-utils is not installed (pip install '.[bench]'): peer skipped")


def first_run(
    report: Report,
    ngs: str,
    py: str,
    env: dict[str, str],
    paths: dict[int, Path],
    tmp: Path,
    cold_rounds: int,
) -> None:
    """3. The first run after a change, against PyYAML's C loader on the same file."""
    print(f"\n{'first run after a change (cold)':<46} {'ms':>9} {'x parse':>7} {'peak MB':>8}")
    for n in sorted(paths):
        path = str(paths[n])
        parse: list[float] = []
        ours: list[float] = []
        parse_mb = ours_mb = 0.0
        for i in range(cold_rounds):  # interleaved: the parse, then ngs on a new cache
            t, mb = run_once([py, "-c", PARSE, path], env)
            parse.append(t)
            parse_mb = max(parse_mb, mb)
            cold_env = {**env, "NGS_CACHE_DIR": str(Path(tmp) / f"cold-{n}-{i}")}
            t, mb = run_once([ngs, "list", "--data", path, "--limit", "1"], cold_env)
            ours.append(t)
            ours_mb = max(ours_mb, mb)
        base, t = statistics.median(parse), statistics.median(ours)
        size = Path(path).stat().st_size / 1e6
        report.line(f"{n}: PyYAML C loader parse ({size:.0f} MB)", base * 1000, 1.0,
                    parse_mb, "", None)  # fmt: skip
        report.line(f"{n}: ngs first run (validate, compile)", t * 1000, t / base, ours_mb,
                    f"<= {BUDGET_FIRST_TIME}", t / base <= BUDGET_FIRST_TIME)  # fmt: skip
        ratio = ours_mb / parse_mb
        report.line(f"{n}: ngs first run: peak memory x parse's", 0, ratio, None,
                    f"<= {BUDGET_FIRST_MEMORY}", ratio <= BUDGET_FIRST_MEMORY)  # fmt: skip
        if n == 5000:
            stages(py, paths[n], env, cold_rounds)


def run_timed(argv: list[str], env: dict[str, str], terminal: bool) -> tuple[float, float]:
    """Wall time and CPU time (user and system) in seconds of one run, its stdout to
    /dev/null and its stderr in a pipe or, with ``terminal``, on a pseudo-terminal of
    80x24, read as a terminal reads it."""
    import pty
    import struct
    import termios
    from fcntl import ioctl

    main, child = pty.openpty() if terminal else os.pipe()
    if terminal:
        ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=child, env=env)
    os.close(child)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal's other side closed
            break
        if not chunk:
            break
        shown += chunk
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    os.close(main)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {shown[-500:]!r}")
    if (b"Indexing" in shown) != terminal:
        raise SystemExit(f"{' '.join(argv)}: progress {'not ' if terminal else ''}shown")
    return elapsed, usage.ru_utime + usage.ru_stime


def progress_cost(
    report: Report, ngs: str, env: dict[str, str], path: Path, tmp: Path, rounds: int
) -> None:
    """4. The first run at 5,000 meetings with its progress drawn, against without."""
    print(f"\n{'progress of the first run (cold)':<46} {'ms':>9} {'x off':>7} {'CPU ms':>8}")
    argv = [ngs, "list", "--data", str(path), "--limit", "1"]
    runs: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    for i in range(rounds):  # interleaved, each on a new cache
        for terminal in (False, True):
            cold = {**env, "NGS_CACHE_DIR": str(tmp / f"progress-{terminal}-{i}")}
            runs[terminal].append(run_timed(argv, cold, terminal))
    wall = {k: statistics.median(t for t, _ in v) for k, v in runs.items()}
    cpu = {k: statistics.median(c for _, c in v) for k, v in runs.items()}
    ratio = wall[True] / wall[False]
    print(f"{'5000: first run, stderr in a pipe (no progress)':<46} {wall[False] * 1000:9.1f} "
          f"{1.0:7.2f} {cpu[False] * 1000:8.0f}")  # fmt: skip
    print(f"{'5000: first run, progress on a terminal':<46} {wall[True] * 1000:9.1f} "
          f"{ratio:7.2f} {cpu[True] * 1000:8.0f}  <= {BUDGET_PROGRESS} "
          f"{'ok' if ratio <= BUDGET_PROGRESS else 'OVER'}")  # fmt: skip
    if ratio > BUDGET_PROGRESS:
        report.failures.append(f"progress of the first run: {ratio:.2f} (<= {BUDGET_PROGRESS})")


# Focuses the page's search box, then types words into it a letter at a time, and times
# the focus and each keystroke from the event to the frame drawn after it (the filter,
# restyle and layout): the focus first, then the keystrokes.
KEYSTROKES = """async (words) => {
  const box = document.getElementById("zoek");
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const focused = performance.now();
  box.focus();  // folds every verslag's text, once
  await frame();
  const times = [performance.now() - focused];
  for (const word of words) {
    for (let i = 0; i <= word.length; i++) {
      const started = performance.now();
      box.value = word.slice(0, i);
      box.dispatchEvent(new Event("input", {bubbles: true}));
      await frame();
      times.push(performance.now() - started);
    }
  }
  return times;
}"""
# A rare word, one nearly every meeting holds, and one none does: from all meetings shown
# to a few, to nearly all, to none, and back; a word of many compounds with one left
# out, and a phrase.
WORDS = ["carbid", "veiligheid", "xqz", "beleid -corona", '"nationale politie"']


def html_page(report: Report, ngs: str, env: dict[str, str], tmp: Path, rounds: int) -> None:
    """5. The HTML page of 2,000 meetings in Chromium: every keystroke in its search."""
    print(f"\n{'HTML page, 2000 meetings, in Chromium':<46} {'ms':>9}")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium = None
    if chromium is None:
        print("Chromium or playwright is missing (apt-get install chromium; pip install "
              "'.[test]'): not measured")  # fmt: skip
        return
    page = tmp / "ngs-2000.html"
    data = generate(tmp / "ngs-2000.yaml", 2000)
    t, _ = run_once([ngs, "export", "--data", str(data), "-o", str(page)], env)
    size = page.stat().st_size / 1e6
    print(f"{f'ngs export -o page.html ({size:.1f} MB)':<46} {t * 1000:9.1f}")
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
    loads: list[float] = []
    focus: list[float] = []
    times: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=args)
        for _ in range(rounds):
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            started = time.perf_counter()
            tab.goto(page.as_uri())
            tab.wait_for_load_state("load")
            loads.append(time.perf_counter() - started)
            measured = tab.evaluate(KEYSTROKES, WORDS)
            focus.append(measured[0])
            times += measured[1:]
            tab.close()
        browser.close()
    slowest = max(times)
    ok = slowest < BUDGET_KEYSTROKE_MS
    print(f"{'open the page (to its load event)':<46} {statistics.median(loads) * 1000:9.1f}")
    print(f"{'the first focus on the search box':<46} {statistics.median(focus):9.1f}")
    print(f"{f'a keystroke in the search (median of {len(times)})':<46} "
          f"{statistics.median(times):9.1f}")  # fmt: skip
    print(f"{'the slowest keystroke':<46} {slowest:9.1f}  < {BUDGET_KEYSTROKE_MS} ms "
          f"{'ok' if ok else 'OVER'}")  # fmt: skip
    median = statistics.median(times)
    print(f"{'the median keystroke':<46} {median:9.1f}  < {BUDGET_KEYSTROKE_MEDIAN_MS} ms "
          f"{'ok' if median < BUDGET_KEYSTROKE_MEDIAN_MS else 'OVER'}")  # fmt: skip
    if not ok:
        report.failures.append(f"the slowest keystroke in the HTML page: {slowest:.0f} ms")
    if median >= BUDGET_KEYSTROKE_MEDIAN_MS:
        report.failures.append(f"the median keystroke in the HTML page: {median:.0f} ms")


def saved_page(
    report: Report,
    ngs: str,
    py: str,
    env: dict[str, str],
    tmp: Path,
    megabytes: int,
    rounds: int,
) -> None:
    """6. A saved page of many megabytes: ``validate --source`` of the whole page (the
    tests' copy of the source page, its verslagen over and over) and ``draft`` of one
    verslag made that long, against lexbor alone reading the same file."""
    import html

    source = HERE.parent / "tests" / "fixtures" / "source" / "verslagen-netwerk-grote-steden.txt"
    lines = source.read_text(encoding="utf-8").splitlines()
    ends = [i for i, line in enumerate(lines) if line.strip() in ("Bestanden", "Bestand")]

    def page(path: Path, head: list[str], body: list[str]) -> Path:
        def paragraphs(part: list[str]) -> str:
            return "".join(f"<p>{html.escape(line)}</p>\n" for line in part if line.strip())

        again = paragraphs(body)
        times = max(1, megabytes * 1_000_000 // len(again))
        path.write_text(
            "<!DOCTYPE html><html><head><title>Verslagen</title></head><body><main>"
            + paragraphs(head) + again * times + "</main></body></html>",
            encoding="utf-8",
        )  # fmt: skip
        return path

    whole = page(tmp / "page.html", [], lines)
    verslag = lines[ends[2] + 1 : ends[3]]  # one verslag, its theme sentence once
    one = page(tmp / "verslag.html", verslag, [v for v in verslag[1:] if v.strip()][1:])
    print(f"\n{f'A saved page of {megabytes} MB (medians of {rounds})':<46} {'s':>9} {'ratio':>7}")
    for label, path, argv in (
        ("validate --source (the whole page)", whole, [ngs, "validate", "--source", str(whole)]),
        ("draft (one verslag that long)", one, [ngs, "draft", str(one)]),
    ):
        times: tuple[list[float], list[float]] = ([], [])
        for _ in range(rounds):  # interleaved: the parser, then ngs, on the same file
            times[0].append(run_once([py, "-c", PAGE_PARSE, str(path)], env)[0])
            times[1].append(run_once(argv, env, verdict=True)[0])
        parse, work = statistics.median(times[0]), statistics.median(times[1])
        ratio = work / parse
        ok = ratio <= BUDGET_PAGE
        print(f"{'  lexbor alone reading it':<46} {parse:9.2f}")
        print(f"{'  ngs ' + label:<46} {work:9.2f} {ratio:6.1f}x  <= {BUDGET_PAGE:.0f}x "
              f"{'ok' if ok else 'OVER'}")  # fmt: skip
        if not ok:
            report.failures.append(f"ngs {label} of {megabytes} MB: {ratio:.1f}x the parser")


if __name__ == "__main__":
    sys.exit(main())
