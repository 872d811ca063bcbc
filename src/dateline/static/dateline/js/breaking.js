// The breaking-news bar: filled from the language's breaking.json (kept by caches for a
// few seconds), so that a page cached before a story was marked still shows it. Asks
// again while the page is in view; a reader who closes the bar does not see those
// stories again in this tab.
const banner = document.querySelector("[data-breaking-source]");
const ASK_EVERY_MS = 30000;
const CLOSED_KEY = "dateline-breaking-closed";

function closedIds() {
  try {
    return new Set(JSON.parse(sessionStorage.getItem(CLOSED_KEY) || "[]"));
  } catch {
    return new Set();
  }
}

function rememberClosed(ids) {
  try {
    sessionStorage.setItem(CLOSED_KEY, JSON.stringify([...closedIds(), ...ids].slice(-50)));
  } catch {
    /* private windows may refuse storage: the bar then comes back on the next page */
  }
}

function itemFor(story) {
  const link = document.createElement("a");
  link.href = story.url;
  const label = document.createElement("span");
  label.className = "breaking__label";
  label.textContent = story.label;
  link.append(label, story.title);
  const item = document.createElement("li");
  item.append(link);
  return item;
}

function show(stories) {
  const closed = closedIds();
  const shown = stories.filter(
    (story) =>
      typeof story.url === "string" &&
      story.url.startsWith("/") &&
      !story.url.startsWith("//") &&
      story.url !== window.location.pathname &&
      !closed.has(story.id),
  );
  banner.querySelector("ul").replaceChildren(...shown.map(itemFor));
  banner.dataset.shownIds = JSON.stringify(shown.map((story) => story.id));
  banner.hidden = shown.length === 0;
  document.body.classList.toggle("has-breaking", !banner.hidden);
}

function ask() {
  if (document.visibilityState !== "visible") return;
  fetch(banner.dataset.breakingSource, { credentials: "omit" })
    .then((response) => (response.ok ? response.json() : null))
    .then((answer) => answer && Array.isArray(answer.items) && show(answer.items))
    .catch(() => {
      /* the bar keeps what it showed; the next ask may succeed */
    });
}

if (banner) {
  banner.querySelector("[data-breaking-close]").addEventListener("click", () => {
    rememberClosed(JSON.parse(banner.dataset.shownIds || "[]"));
    show([]);
  });
  ask();
  window.setInterval(ask, ASK_EVERY_MS);
  document.addEventListener("visibilitychange", ask);
}
