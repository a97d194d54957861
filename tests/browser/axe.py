"""Run axe-core in a page and report what a reader would trip over.

axe-core is the copy bundled in the axe-playwright-python wheel from PyPI; it is
injected into the page, never fetched from the web.
"""

from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()


def blocking_violations(page):
    """axe violations with impact serious or critical on the current page."""
    results = _axe.run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"        {summary[:300]}")
    return "\n".join(lines)


def assert_no_blocking_violations(page):
    violations = blocking_violations(page)
    assert not violations, f"axe found problems on {page.url}:\n{describe(violations)}"
