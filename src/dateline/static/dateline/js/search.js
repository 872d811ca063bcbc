// Search overlay: headline suggestions as the reader types, and popular searches.
// Keyboard: ↓/↑ move through the suggestions, Enter opens the chosen story, Escape
// closes the list (a second Escape closes the overlay).
const DEBOUNCE_MS = 150;
const MIN_CHARS = 2;

function setupSuggestions() {
  const form = document.querySelector("#search-overlay form[data-suggest-url]");
  if (!form) return;
  const input = form.querySelector("input[name=q]");
  const list = form.querySelector("[data-search-suggestions]");
  const status = form.querySelector("[data-search-status]");
  const popular = document.querySelector("[data-search-popular]");
  const url = form.dataset.suggestUrl;
  let timer = null;
  let controller = null;
  let items = [];
  let active = -1;
  let popularLoaded = false;

  const setActive = (index) => {
    active = index;
    items.forEach((item, i) => item.setAttribute("aria-selected", String(i === index)));
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", items[index].id);
      items[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };

  // The list says which text it answers; a choice made with the arrow keys stays chosen
  // when the answer for a longer text arrives later and still holds that story.
  const render = (suggestions, query = "") => {
    const chosen = active >= 0 ? items[active].dataset.url : null;
    list.dataset.query = query;
    list.replaceChildren();
    items = suggestions.map((suggestion, i) => {
      const item = document.createElement("li");
      item.id = `search-suggestion-${i}`;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.url = suggestion.url;
      const link = document.createElement("a");
      link.href = suggestion.url;
      link.tabIndex = -1;
      link.textContent = suggestion.title;
      item.append(link);
      if (suggestion.section) {
        const section = document.createElement("span");
        section.className = "search-suggestion-section";
        section.textContent = suggestion.section;
        item.append(" ", section);
      }
      list.append(item);
      return item;
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", String(items.length > 0));
    setActive(items.findIndex((item) => item.dataset.url === chosen));
    if (status) status.textContent = items.length ? list.dataset.countLabel : "";
  };

  const load = async (query) => {
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const response = await fetch(`${url}?q=${encodeURIComponent(query)}`, {
        signal: controller.signal,
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return null;
      return await response.json();
    } catch (error) {
      return null; // aborted by newer typing, or offline: the form still works
    }
  };

  const showPopular = async () => {
    if (!popular || popularLoaded) return;
    popularLoaded = true;
    const data = await load("");
    const terms = (data && data.popular) || [];
    const target = popular.querySelector("ul");
    target.replaceChildren(
      ...terms.map((term) => {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = `${form.action}?q=${encodeURIComponent(term)}`;
        link.textContent = term;
        item.append(link);
        return item;
      }),
    );
    popular.hidden = terms.length === 0;
  };

  input.addEventListener("focus", showPopular);
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const query = input.value.trim();
    if (query.length < MIN_CHARS) {
      if (controller) controller.abort();
      render([]);
      return;
    }
    timer = setTimeout(async () => {
      const data = await load(query);
      if (data && input.value.trim() === query) render(data.suggestions || [], query);
    }, DEBOUNCE_MS);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      setActive((active + 1) % items.length);
    } else if (event.key === "ArrowUp" && items.length) {
      event.preventDefault();
      setActive(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.assign(items[active].dataset.url);
    } else if (event.key === "Escape" && !list.hidden) {
      event.stopPropagation();
      // An answer still on its way must not open the list again.
      clearTimeout(timer);
      if (controller) controller.abort();
      render([]);
    }
  });
  input.addEventListener("blur", () => {
    // Leave time for a click on a suggestion to land first.
    setTimeout(() => {
      if (document.activeElement !== input) setActive(-1);
    }, 200);
  });
}

setupSuggestions();
