"""What moved on a page as it loaded: the layout shifts Lighthouse sums as CLS, each with
the elements that moved, so that a failure says what to look at.

A browser paints a page it has only partly read when the HTML comes slowly (a loaded
machine, a slow network): a header whose last buttons have not arrived, a list item
whose link has not. Lines then settle as the rest arrives, by a few pixels. Such shifts
are told apart (`while_reading`): checks hold the page to no shift at all once it has
been read, and to no more than `READING_ALLOWANCE` before (a twentieth of what CLS calls
good, far below anything a reader sees; a picture without its size alone costs more).

A shift carries the time of the frame that painted it, and the frame that first paints
the whole page can come a little after the parser finished (`domInteractive`): a loaded
machine's list line settled at 481 ms, after a `domInteractive` it had already passed.
So the page counts as read from the second frame after it was parsed (`MARK_READ`, run
in every test page before the page's own scripts), and only shifts from then on are
held to none."""

from __future__ import annotations

from typing import Any

MARK_READ = """
document.addEventListener("readystatechange", () => {
  if (document.readyState !== "interactive") return;
  const mark = (frame) => { window.__datelineReadAt = frame; };
  requestAnimationFrame(() => requestAnimationFrame(mark));
});
"""

# Shifts after a reader's own input do not count, as in CLS.
_SHIFTS = """
() => new Promise((resolve) => {
  const shifts = [];
  const parsed = performance.getEntriesByType("navigation")[0].domInteractive;
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
        at: entry.startTime,
        at_ms: Math.round(entry.startTime),
        moved: (entry.sources || []).map((source) => ({
          element: describe(source.node),
          before: rect(source.previousRect),
          after: rect(source.currentRect),
        })),
      });
    }
  }).observe({ type: "layout-shift", buffered: true });
  // Read when the wait is over: the second frame after parsing may not have come yet.
  setTimeout(() => {
    const read = Math.max(parsed, window.__datelineReadAt || 0);
    resolve(shifts.map(({ at, ...shift }) => ({ ...shift, while_reading: at < read })));
  }, 500);
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
