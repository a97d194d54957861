"""Pure functions of the benchmark: read wrk's output, judge targets, write the results.

Nothing here starts a process or touches a database, so tests can feed it
canned output (tests/articles/test_generate_bench_data.py covers the rest).
"""

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_LATENCY_LINE = re.compile(r"^\s*(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_TOTAL = re.compile(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m)", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_OURS = re.compile(r"^BENCH_LATENCY p50=(\d+) p95=(\d+) p99=(\d+)$", re.MULTILINE)
_STATUS = re.compile(r"^BENCH_STATUS (.*)$", re.MULTILINE)
_REFUSAL = re.compile(r"^BENCH_REFUSAL (.*)$", re.MULTILINE)


class WrkOutputError(ValueError):
    """wrk's output lacks the figures we need (it failed, or its format changed)."""


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float | None
    p99_ms: float
    non_2xx: int = 0
    socket_errors: int = 0
    # From post.lua: responses by status ("302", "400", … and "spare", the requests
    # sent after a thread ran out of forms), and the first refusal each thread saw.
    statuses: dict = field(default_factory=dict)
    refusals: tuple = ()


def parse_wrk(text):
    """A ``WrkResult`` from ``wrk --latency`` output, with our Lua ``done()`` line if present."""
    rps = _RPS.search(text)
    total = _TOTAL.search(text)
    if not rps or not total:
        raise WrkOutputError(f"no request rate in wrk output: {text.strip()[:200]!r}")
    latency = {int(m[1]): float(m[2]) * _UNITS_MS[m[3]] for m in _LATENCY_LINE.finditer(text)}
    p95 = None
    ours = _OURS.search(text)
    if ours:  # microseconds, from the Lua scripts' done(): more precise, and p95
        latency[50], p95, latency[99] = (int(value) / 1000 for value in ours.groups())
    if 50 not in latency or 99 not in latency:
        raise WrkOutputError("no latency distribution in wrk output (run it with --latency)")
    non_2xx = _NON_2XX.search(text)
    errors = _SOCKET_ERRORS.search(text)
    statuses = {}
    if status_line := _STATUS.search(text):
        pairs = (part.partition("=") for part in status_line[1].split())
        statuses = {key: int(n) for key, _, n in pairs if n.isdigit()}
    return WrkResult(
        requests=int(total[1]),
        seconds=float(total[2]) * _UNITS_MS[total[3]] / 1000,
        rps=float(rps[1]),
        p50_ms=latency[50],
        p95_ms=p95,
        p99_ms=latency[99],
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
        statuses=statuses,
        refusals=tuple(line.strip() for line in _REFUSAL.findall(text)),
    )


def combine(results):
    """Several rounds of one page as one: mean rate, median latencies, summed errors."""
    if not results:
        raise ValueError("no rounds to combine")
    p95s = [r.p95_ms for r in results if r.p95_ms is not None]
    return WrkResult(
        requests=sum(r.requests for r in results),
        seconds=sum(r.seconds for r in results),
        rps=statistics.fmean(r.rps for r in results),
        p50_ms=statistics.median(r.p50_ms for r in results),
        p95_ms=statistics.median(p95s) if p95s else None,
        p99_ms=statistics.median(r.p99_ms for r in results),
        non_2xx=sum(r.non_2xx for r in results),
        socket_errors=sum(r.socket_errors for r in results),
        statuses=dict(sum((Counter(r.statuses) for r in results), Counter())),
        refusals=tuple(dict.fromkeys(line for r in results for line in r.refusals)),
    )


def latency_known(result):
    """False when no request finished (all timed out): wrk then reports zeros."""
    return result.requests > result.socket_errors and result.p50_ms > 0


def ratio(page, ceiling):
    """The page's rate as a share of the ceiling's; 0.0 when the ceiling served nothing."""
    return page.rps / ceiling.rps if ceiling.rps else 0.0


@dataclass(frozen=True)
class Row:
    """One line of the results table. ``met`` is None when there is nothing to judge."""

    what: str
    target: str
    figure: str
    met: bool | None


def at_least(what, target, value, fmt="{:.3f}", detail=""):
    figure = fmt.format(value) + (f" ({detail})" if detail else "")
    return Row(what, f"≥ {fmt.format(target)}", figure, value >= target)


def under(what, target, value, unit="", detail=""):
    """``value`` None means it could not be measured (every request timed out): not met."""
    if value is None:
        figure = "not measured" + (f" ({detail})" if detail else "")
        return Row(what, f"< {target:g}{unit}", figure, False)
    figure = f"{value:.1f}{unit}" + (f" ({detail})" if detail else "")
    return Row(what, f"< {target:g}{unit}", figure, value < target)


def page_detail(result):
    """req/s and latencies as one phrase, with errors when there were any."""
    text = f"{result.rps:,.0f} req/s, p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms"
    if result.non_2xx or result.socket_errors:
        text += f", {result.non_2xx} non-2xx/3xx, {result.socket_errors} socket errors"
    return text


def answers_detail(result):
    """``page_detail`` with the answers by status and what refusals said, where the Lua
    script counted them (post.lua; search.lua counts requests sent once it ran out)."""
    text = page_detail(result)
    counted = {key: n for key, n in result.statuses.items() if n}
    if counted:
        answers = ", ".join(f"{key}: {n:,}" for key, n in sorted(counted.items()))
        text += f"; answers {answers}"
    if result.refusals:
        text += "; refusals said: " + " / ".join(f"“{line}”" for line in result.refusals[:3])
    return text


def markdown_table(rows):
    """The results as a Markdown table: target | figure | met?."""

    def verdict(met):
        return "—" if met is None else ("yes" if met else "**no**")

    lines = ["| What | Target | Figure | Met? |", "|---|---|---|---|"]
    for row in rows:
        cells = [row.what, row.target, row.figure, verdict(row.met)]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def results_section(*, title, machine, notes, rows):
    """One run's section of bench/RESULTS.md."""
    machine_lines = "\n".join(f"- {key}: {value}" for key, value in machine.items())
    notes_lines = "\n".join(f"- {note}" for note in notes)
    parts = [f"## {title}", "", machine_lines, "", markdown_table(rows)]
    if notes_lines:
        parts += ["", notes_lines]
    return "\n".join(parts) + "\n"


RESULTS_HEADER = (
    "# Benchmark results\n\n"
    "Appended by `make bench` (bench/run.py), newest last. Figures are noisy: the machine\n"
    "is shared, and other work may run beside the benchmark. Ratios compare each page\n"
    "with the hello-world ceiling measured in the same rounds, which absorbs some of it.\n"
)


def append_results(path, section):
    """Append ``section`` to the results file, creating it with its header if needed."""
    existing = path.read_text(encoding="utf-8") if path.exists() else RESULTS_HEADER
    path.write_text(existing.rstrip("\n") + "\n\n" + section, encoding="utf-8")
