"""axe-core run inside the page under test.

The engine comes from npm (tests/browser/package.json, pinned in package-lock.json, installed by
`npm ci` through `make browser-assets`) and is injected from node_modules by Playwright: no CDN.
"""

from pathlib import Path

AXE_JS = Path(__file__).with_name("node_modules") / "axe-core" / "axe.min.js"

# What fails a test: axe's two highest impacts, and heading order (a "moderate" rule in axe that
# issue 13 found on the configuration page).
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
ALSO_BLOCKING_RULES = frozenset({"heading-order"})

_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(" ")),
  }));
}"""


def axe_violations(page) -> list[dict]:
    """Every violation of axe's default rule set on the page as it is now."""
    if not AXE_JS.is_file():
        raise FileNotFoundError(
            f"{AXE_JS} is missing: run `make browser-assets` (npm ci --prefix tests/browser)"
        )
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(_RUN)


def blocking(violations: list[dict]) -> list[dict]:
    return [
        v for v in violations if v["impact"] in BLOCKING_IMPACTS or v["id"] in ALSO_BLOCKING_RULES
    ]


def describe(failures: dict[str, list[dict]]) -> str:
    """One line per page and rule, with the first offending elements."""
    return "\n".join(
        f"{page}: {v['id']} ({v['impact']}) {v['help']} — {', '.join(v['targets'][:4])}"
        for page, violations in failures.items()
        for v in violations
    )
