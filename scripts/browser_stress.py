"""
Run the browser tests several times while the CPU is busy: ``make browser-stress``.

A flaky browser test acts before the page is ready; on an idle laptop it
passes, on a loaded CI machine it fails at random. This script makes the
machine busy on purpose: it starts ``--burners`` processes that spin on the
CPU (each stops by itself after ``--max-seconds``, and all are stopped when
the runs end, however they end), then runs ``pytest tests/browser`` ``--runs``
times in a row, in file order, and prints one line per run and a total.

It exits non-zero if any run failed. It is too slow for CI; run it after
changing a browser test or a page's scripts. Any arguments after ``--`` go to
pytest (e.g. ``-- -k moderator``).
"""

import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def burn(deadline):
    """Keep one CPU busy until ``deadline`` (a ``time.monotonic()`` value)."""
    spins = 0
    while time.monotonic() < deadline:
        spins += 1


def start_load(burners, max_seconds):
    deadline = time.monotonic() + max_seconds
    processes = [
        multiprocessing.Process(target=burn, args=(deadline,), name=f"cpu-burner-{n}", daemon=True)
        for n in range(burners)
    ]
    for process in processes:
        process.start()
    return processes


def stop_load(processes):
    for process in processes:
        process.terminate()
    for process in processes:
        process.join()


def run_pytest(report, pytest_args):
    """One run of the browser tests; its counts come from pytest's JUnit report."""
    command = [
        sys.executable,
        "-m",
        "pytest",
        "tests/browser",
        "-q",
        "-p",
        "no:randomly",
        f"--junitxml={report}",
        *pytest_args,
    ]
    # CI=true: a missing Chromium fails the run instead of skipping every test.
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "true"), "CI": "true"}
    started = time.monotonic()
    code = subprocess.call(command, cwd=ROOT, env=env)
    elapsed = time.monotonic() - started
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if report.exists():
        suite = ET.parse(report).getroot()  # noqa: S314 (the report pytest just wrote)
        suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
        counts = {key: int(suite.get(key, 0)) for key in counts}
    return code, elapsed, counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].strip())
    parser.add_argument("--runs", type=int, default=5, help="runs in a row (default 5)")
    parser.add_argument(
        "--burners", type=int, default=2, help="processes spinning on the CPU (default 2)"
    )
    parser.add_argument(
        "--max-seconds",
        type=int,
        default=3600,
        help="the load stops by itself after this long, whatever happens (default 3600)",
    )
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (after --)")
    args = parser.parse_args()
    if args.runs < 1 or args.burners < 0 or args.max_seconds < 1:
        parser.error("--runs and --max-seconds must be at least 1, --burners at least 0")

    print(f"Loading the CPU with {args.burners} busy processes; {args.runs} runs of tests/browser.")
    results = []
    load = start_load(args.burners, args.max_seconds)
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="browser-stress-") as workdir:
            for run in range(1, args.runs + 1):
                report = Path(workdir) / f"run-{run}.xml"
                code, elapsed, counts = run_pytest(report, args.pytest_args)
                results.append((code, counts))
                print(
                    f"run {run}/{args.runs}: exit {code}, {counts['tests']} tests, "
                    f"{counts['failures']} failures, {counts['errors']} errors, "
                    f"{counts['skipped']} skipped, {elapsed:.0f} s",
                    flush=True,
                )
    finally:
        stop_load(load)

    failed_runs = sum(1 for code, _ in results if code != 0)
    total = {key: sum(counts[key] for _, counts in results) for key in results[0][1]}
    print(
        f"{len(results)} runs, {total['tests']} tests, {total['failures']} failures, "
        f"{total['errors']} errors, {total['skipped']} skipped, {failed_runs} failed runs, "
        f"{time.monotonic() - started:.0f} s under load"
    )
    return 1 if failed_runs else 0


if __name__ == "__main__":
    sys.exit(main())
