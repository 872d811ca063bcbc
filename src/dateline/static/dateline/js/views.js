// Counts the view once the story is really seen (not while prerendered or in a
// background tab), then shows the count the server answered with.
const story = document.querySelector("[data-view-beacon]");

function showCount(views) {
  const target = document.querySelector("[data-view-count]");
  if (!target || typeof views !== "number") return;
  target.textContent = new Intl.NumberFormat(document.documentElement.lang).format(views);
}

function sendBeacon() {
  fetch(story.dataset.viewBeacon, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: "{}",
    credentials: "same-origin",
    keepalive: true,
  })
    .then((response) => (response.ok ? response.json() : null))
    .then((answer) => answer && showCount(answer.views))
    .catch(() => {
      /* the count shown when the page was made stays */
    });
}

function whenVisible(callback) {
  if (document.visibilityState === "visible") {
    callback();
    return;
  }
  const onChange = () => {
    if (document.visibilityState === "visible") {
      document.removeEventListener("visibilitychange", onChange);
      callback();
    }
  };
  document.addEventListener("visibilitychange", onChange);
}

if (story) {
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", () => whenVisible(sendBeacon), { once: true });
  } else {
    whenVisible(sendBeacon);
  }
}
