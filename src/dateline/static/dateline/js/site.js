// Reader tools: search overlay, section row, theme, text size, copy link, print.
const root = document.documentElement;
const TEXT_STEPS = [-2, -1, 0, 1, 2, 3];

function remember(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch (e) {
    /* private mode: the choice lasts for this page only */
  }
}

function setupSearchOverlay() {
  const overlay = document.getElementById("search-overlay");
  const opener = document.querySelector("[data-search-open]");
  if (!overlay || !opener) return;
  const input = overlay.querySelector("input[name=q]");
  // The overlay is modal: while it is open the page behind it is inert, so Tab cannot
  // wander into links the reader cannot see (and screen readers stay in the dialog).
  const setBackgroundInert = (inert) => {
    for (const element of document.body.children) {
      if (element !== overlay && element.tagName !== "SCRIPT") element.inert = inert;
    }
  };
  const open = () => {
    overlay.hidden = false;
    setBackgroundInert(true);
    opener.setAttribute("aria-expanded", "true");
    document.body.classList.add("has-overlay");
    input.focus();
  };
  const close = () => {
    overlay.hidden = true;
    setBackgroundInert(false);
    opener.setAttribute("aria-expanded", "false");
    document.body.classList.remove("has-overlay");
    opener.focus();
  };
  opener.addEventListener("click", open);
  overlay.querySelector("[data-search-close]").addEventListener("click", close);
  overlay.addEventListener("click", (event) => {
    if (event.target === overlay) close();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !overlay.hidden) close();
  });
}

function setupThemeToggle() {
  const toggle = document.querySelector("[data-theme-toggle]");
  if (!toggle) return;
  toggle.addEventListener("click", () => {
    const current =
      root.dataset.theme ||
      (window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
    const next = current === "dark" ? "light" : "dark";
    root.dataset.theme = next;
    remember("dateline.theme", next);
  });
}

function setupTextSize() {
  const buttons = document.querySelectorAll("[data-text-size]");
  if (!buttons.length) return;
  const current = () => parseInt(root.dataset.textStep || "0", 10) || 0;
  const apply = (step) => {
    root.dataset.textStep = String(step);
    remember("dateline.textStep", String(step));
    buttons.forEach((button) => {
      const delta = parseInt(button.dataset.textSize, 10);
      const edge = delta > 0 ? TEXT_STEPS[TEXT_STEPS.length - 1] : TEXT_STEPS[0];
      // aria-disabled rather than disabled: a disabled button would drop keyboard focus.
      button.setAttribute("aria-disabled", String(step === edge));
    });
  };
  buttons.forEach((button) => {
    button.addEventListener("click", () => {
      const next = current() + parseInt(button.dataset.textSize, 10);
      if (TEXT_STEPS.includes(next)) apply(next);
    });
  });
  apply(TEXT_STEPS.includes(current()) ? current() : 0);
}

function showToast(message) {
  const toast = document.querySelector("[data-toast]");
  if (!toast) return;
  toast.textContent = message;
  toast.hidden = false;
  clearTimeout(showToast.timer);
  showToast.timer = setTimeout(() => {
    toast.hidden = true;
  }, 2500);
}

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  const copied = document.execCommand("copy");
  area.remove();
  if (!copied) throw new Error("copy refused");
}

function setupShareTools() {
  document.querySelectorAll("[data-copy-link]").forEach((button) => {
    button.addEventListener("click", async () => {
      try {
        await copyText(button.dataset.copyLink);
        showToast(button.dataset.copiedMessage);
      } catch (e) {
        showToast(button.dataset.copyFailedMessage);
      }
    });
  });
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
}

// On a narrow screen the section row scrolls: bring the reader's own section into view
// (scrolling the row moves nothing else on the page).
function showCurrentSection() {
  const current = document.querySelector(".section-nav a[aria-current]");
  if (!current) return;
  const row = current.closest("ul");
  const hidden = current.getBoundingClientRect().right - row.getBoundingClientRect().right;
  if (hidden > 0) row.scrollLeft += hidden + 32;
}

setupSearchOverlay();
showCurrentSection();
setupThemeToggle();
setupTextSize();
setupShareTools();
