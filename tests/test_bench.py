"""The benchmark harness's pure parts: reading wrk, judging targets, writing RESULTS.md.

The harness itself (gunicorn, wrk, a large PostgreSQL data set) takes minutes,
so it has no smoke test here; `make bench` runs it.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench import report

WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:40111/articles/ice-shipping/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    41.23ms   12.01ms 180.50ms   80.12%
    Req/Sec   195.10     30.22   260.00     70.00%
  Latency Distribution
     50%   38.91ms
     75%   45.02ms
     90%   55.70ms
     99%  120.33ms
  3897 requests in 10.01s, 140.12MB read
  Non-2xx or 3xx responses: 12
Requests/sec:    389.31
Transfer/sec:     14.00MB
"""

WRK_WITH_OUR_LINE = WRK_OUTPUT + "BENCH_LATENCY p50=38000 p95=90500 p99=121000\n"

WRK_TIMEOUTS = """\
Running 3s test @ http://127.0.0.1:55311/search/
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.00us    0.00us   0.00us    -nan%
    Req/Sec     0.00      0.00     0.00    100.00%
  Latency Distribution
     50%    0.00us
     75%    0.00us
     90%    0.00us
     99%    0.00us
  2 requests in 3.02s, 5.68KB read
  Socket errors: connect 0, read 0, write 0, timeout 2
Requests/sec:      0.66
Transfer/sec:      1.88KB
BENCH_LATENCY p50=0 p95=0 p99=0
"""


def test_wrk_output_is_read_into_rate_latencies_and_errors():
    result = report.parse_wrk(WRK_OUTPUT)
    assert result.rps == pytest.approx(389.31)
    assert result.requests == 3897
    assert result.seconds == pytest.approx(10.01)
    assert result.p50_ms == pytest.approx(38.91)
    assert result.p99_ms == pytest.approx(120.33)
    assert result.p95_ms is None  # wrk itself prints no 95th percentile
    assert result.non_2xx == 12
    assert result.socket_errors == 0


def test_the_lua_done_line_gives_p95_in_microseconds():
    result = report.parse_wrk(WRK_WITH_OUR_LINE)
    assert result.p50_ms == pytest.approx(38.0)
    assert result.p95_ms == pytest.approx(90.5)
    assert result.p99_ms == pytest.approx(121.0)


@pytest.mark.parametrize(
    "unit, factor", [("us", 0.001), ("ms", 1.0), ("s", 1000.0)], ids=["us", "ms", "s"]
)
def test_latency_units_are_converted_to_milliseconds(unit, factor):
    text = WRK_OUTPUT.replace("38.91ms", f"2.50{unit}")
    assert report.parse_wrk(text).p50_ms == pytest.approx(2.5 * factor)


def test_a_run_where_every_request_timed_out_has_no_latency_and_fails_its_target():
    result = report.parse_wrk(WRK_TIMEOUTS)
    assert result.socket_errors == 2
    assert not report.latency_known(result)
    row = report.under("Search: p95", 100, None, " ms")
    assert row.met is False
    assert "not measured" in row.figure


@pytest.mark.parametrize(
    "text", ["", "unable to connect to 127.0.0.1:1 Connection refused\n", "Requests/sec: 5\n"]
)
def test_output_without_figures_is_a_clear_error(text):
    with pytest.raises(report.WrkOutputError):
        report.parse_wrk(text)


@given(st.text(max_size=400))
def test_any_text_is_either_parsed_or_refused_with_wrk_output_error(text):
    try:
        result = report.parse_wrk(text)
    except report.WrkOutputError:
        return
    assert result.rps >= 0


def test_rounds_combine_to_the_mean_rate_and_summed_errors():
    first = report.parse_wrk(WRK_OUTPUT)
    second = report.parse_wrk(WRK_OUTPUT.replace("389.31", "189.31"))
    combined = report.combine([first, second])
    assert combined.rps == pytest.approx(289.31)
    assert combined.requests == 2 * 3897
    assert combined.non_2xx == 24


def test_ratio_to_the_ceiling_and_the_verdict_beside_the_target():
    page = report.parse_wrk(WRK_OUTPUT.replace("389.31", "800.00"))
    ceiling = report.parse_wrk(WRK_OUTPUT.replace("389.31", "4000.00"))
    assert report.ratio(page, ceiling) == pytest.approx(0.2)
    assert report.at_least("ratio", 0.20, report.ratio(page, ceiling)).met is True
    assert report.at_least("ratio", 0.85, report.ratio(page, ceiling)).met is False
    assert report.under("p99", 50, 49.9, " ms").met is True
    assert report.under("p99", 50, 50.0, " ms").met is False


def test_table_shows_target_beside_figure_and_escapes_pipes():
    rows = [
        report.Row("Article | unique", "≥ 0.200", "0.250", True),
        report.Row("Queries", "≤ 4", "9", False),
        report.Row("Ceiling", "—", "4,000 req/s", None),
    ]
    table = report.markdown_table(rows).splitlines()
    assert table[0] == "| What | Target | Figure | Met? |"
    assert table[2] == "| Article \\| unique | ≥ 0.200 | 0.250 | yes |"
    assert table[3] == "| Queries | ≤ 4 | 9 | **no** |"
    assert table[4].endswith("| — |")


def test_results_are_appended_after_a_header_and_earlier_runs_are_kept(tmp_path):
    path = tmp_path / "RESULTS.md"
    rows = [report.Row("Queries", "≤ 4", "3", True)]
    first = report.results_section(
        title="Run one", machine={"Machine": "2 CPUs"}, notes=["noisy"], rows=rows
    )
    report.append_results(path, first)
    report.append_results(path, first.replace("Run one", "Run two"))
    text = path.read_text()
    assert text.startswith("# Benchmark results")
    assert text.index("## Run one") < text.index("## Run two")
    assert "- Machine: 2 CPUs" in text
    assert "- noisy" in text
    assert text.count("| Queries | ≤ 4 | 3 | yes |") == 2


# --- The comment POSTs: prepared forms, sent once each, by distinct readers -----------------


def test_post_detail_names_each_answer_and_what_refusals_said():
    text = WRK_OUTPUT + (
        "BENCH_LATENCY p50=38000 p95=90500 p99=121000\n"
        "BENCH_REFUSAL 429 You have sent several comments in the last minute.\n"
        "BENCH_STATUS 200=3 302=3880 429=12 spare=3\n"
    )
    result = report.parse_wrk(text)
    assert result.statuses == {"200": 3, "302": 3880, "429": 12, "spare": 3}
    combined = report.combine([result, result])
    assert combined.statuses["302"] == 7760
    assert combined.refusals == ("429 You have sent several comments in the last minute.",)
    detail = report.answers_detail(combined)
    assert "302: 7,760" in detail and "429: 24" in detail
    assert "“429 You have sent several comments in the last minute.”" in detail
