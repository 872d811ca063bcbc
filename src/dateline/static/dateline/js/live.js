// A live blog's open page: asks for the newest updates every few seconds while the tab is
// visible and the coverage goes on, offers "N new updates" instead of moving the text
// under the reader, applies corrections and deletions in place, and pages in older updates.
const section = document.querySelector(".live-blog");
const list = section && section.querySelector("[data-live-updates]");
const source = section && section.dataset.liveSource;
const pollMs = Math.max(2, Number(section && section.dataset.pollSeconds) || 4) * 1000;
let pending = [];
let timer = null;
let stopped = !source;

function fromHtml(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return template.content.firstElementChild;
}

function shownUpdates() {
  return [...list.querySelectorAll(":scope > li > [data-update-id]")];
}

function newestShownId() {
  return shownUpdates().reduce((most, node) => Math.max(most, Number(node.dataset.updateId)), 0);
}

function itemFor(update) {
  const item = document.createElement("li");
  item.append(fromHtml(update.html));
  return item;
}

function showNewButton() {
  const holder = section.querySelector("[data-live-new]");
  const button = holder.querySelector("[data-live-show-new]");
  const count = pending.length;
  button.textContent =
    count === 1 ? button.dataset.one : button.dataset.many.replace("%(count)s", String(count));
  holder.hidden = count === 0;
}

function revealPending() {
  list.querySelector(".live-empty")?.remove();
  list.prepend(...pending.map(itemFor));
  pending = [];
  showNewButton();
}

function applyChanges(updates) {
  const given = new Map(updates.map((update) => [update.id, update]));
  const oldestGiven = Math.min(...given.keys());
  for (const node of shownUpdates()) {
    const id = Number(node.dataset.updateId);
    const update = given.get(id);
    if (update && update.revised !== node.dataset.revised) {
      node.replaceWith(fromHtml(update.html));
    } else if (!update && id >= oldestGiven) {
      node.parentElement.remove(); // deleted by the newsroom
    }
  }
}

function stop(ended) {
  stopped = true;
  window.clearTimeout(timer);
  if (ended) section.querySelector("[data-live-ended]").hidden = false;
}

function schedule() {
  window.clearTimeout(timer);
  if (!stopped && document.visibilityState === "visible") timer = window.setTimeout(poll, pollMs);
}

function poll() {
  if (stopped || document.visibilityState !== "visible") return;
  fetch(source, { credentials: "omit" })
    .then((response) => (response.ok ? response.json() : null))
    .then((answer) => {
      if (!answer || !Array.isArray(answer.updates)) return;
      if (answer.updates.length) {
        applyChanges(answer.updates);
        const newest = Math.max(newestShownId(), ...pending.map((update) => update.id));
        pending = [...answer.updates.filter((update) => update.id > newest), ...pending];
        showNewButton();
      }
      if (typeof answer.key_events_html === "string") {
        section.querySelector("[data-live-key-events]").innerHTML = answer.key_events_html;
      }
      if (answer.covering === false) stop(true);
    })
    .catch(() => {
      /* the page keeps what it shows; the next ask may succeed */
    })
    .finally(schedule);
}

function loadOlder(event) {
  const link = event.target.closest("[data-live-older]");
  if (!link) return;
  event.preventDefault();
  if (link.getAttribute("aria-busy") === "true") return; // already on its way
  link.setAttribute("aria-busy", "true");
  fetch(link.dataset.source, { credentials: "omit" })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then((answer) => {
      const shown = new Set(shownUpdates().map((node) => Number(node.dataset.updateId)));
      list.append(...answer.updates.filter((update) => !shown.has(update.id)).map(itemFor));
      if (answer.older_than) {
        const base = link.dataset.source.split("?")[0];
        link.dataset.source = `${base}?before=${answer.older_than}`;
        link.href = `?before=${answer.older_than}#live-title`;
      } else {
        link.parentElement.remove();
      }
    })
    .catch(() => {
      window.location.assign(link.href); // the plain page of older updates still works
    })
    .finally(() => link.removeAttribute("aria-busy"));
}

// Older updates come in as the reader scrolls near the end of the list.
function pageInWhileScrolling() {
  if (!("IntersectionObserver" in window)) return;
  const watcher = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) loadOlder({ target: entry.target, preventDefault() {} });
      }
    },
    { rootMargin: "600px 0px" },
  );
  const watch = () => {
    const link = section.querySelector("[data-live-older]");
    if (link) watcher.observe(link);
  };
  watch();
  new MutationObserver(() => {
    watcher.disconnect();
    watch();
  }).observe(list, { childList: true });
}

if (section) {
  section.addEventListener("click", loadOlder);
  pageInWhileScrolling();
  section.querySelector("[data-live-show-new]").addEventListener("click", revealPending);
  if (!stopped) {
    schedule();
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") poll();
      else window.clearTimeout(timer);
    });
  }
}
