"""What moved on a page as it loaded: the layout shifts Lighthouse sums as CLS, each with
the elements that moved, so that a failure says what to look at.

A browser paints a page it has only partly read when the HTML comes slowly (a loaded
machine, a slow network): a header whose last buttons have not arrived, a list item
whose link has not. Lines then settle as the rest arrives, by a few pixels. Such shifts
are told apart (`while_reading`): checks hold the page to no shift at all once it has
been read, and to no more than `READING_ALLOWANCE` before (a twentieth of what CLS calls
good, far below anything a reader sees; a picture without its size alone costs more)."""

from __future__ import annotations

from typing import Any

# Shifts after a reader's own input do not count, as in CLS.
_SHIFTS = """
() => new Promise((resolve) => {
  const shifts = [];
  const read = performance.getEntriesByType("navigation")[0].domInteractive;
  const describe = (node) => {
    if (!node) return "(gone)";
    if (node.nodeType !== 1) return node.nodeName + " in " + describe(node.parentElement);
    const classes = String(node.className || "").trim().replace(/\\s+/g, ".");
    return node.nodeName.toLowerCase() + (classes ? "." + classes : "")
      + (node.id ? "#" + node.id : "") + " «" + (node.textContent || "").trim().slice(0, 40) + "»";
  };
  const rect = (r) => [Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      shifts.push({
        value: entry.value,
        while_reading: entry.startTime < read,
        at_ms: Math.round(entry.startTime),
        moved: (entry.sources || []).map((source) => ({
          element: describe(source.node),
          before: rect(source.previousRect),
          after: rect(source.currentRect),
        })),
      });
    }
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(shifts), 500);
})
"""


READING_ALLOWANCE = 0.005


def layout_shifts(page: Any) -> tuple[float, list[dict]]:
    """The page's layout shift so far (what CLS counts) and each shift with what moved."""
    shifts = page.evaluate(_SHIFTS)
    return sum(shift["value"] for shift in shifts), shifts


def assert_steady(page: Any, where: str) -> None:
    """Nothing moved once the page was read, and next to nothing while it was."""
    _total, shifts = layout_shifts(page)
    after = [shift for shift in shifts if not shift["while_reading"]]
    assert not after, f"{where} moved as it loaded: {after}"
    reading = sum(shift["value"] for shift in shifts)
    assert reading <= READING_ALLOWANCE, f"{where} moved while it was read: {shifts}"
