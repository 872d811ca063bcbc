// Breaking news alerts on this device (web push). Offered by a small prompt once the
// reader has opened two stories (never on a first visit; "Not now" hides it for 30 days)
// and by the bell in the header, which also turns them off. The subscription is kept by
// the site with the page's language and nothing else.
const prompt = document.querySelector("[data-push-prompt]");
const bell = document.querySelector("[data-push-bell]");
const STORIES_KEY = "dateline-push-stories";
const DISMISSED_KEY = "dateline-push-dismissed";
const DISMISS_MS = 30 * 24 * 3600 * 1000;
const STORIES_BEFORE_ASKING = 2;

const supported =
  prompt && bell && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

function stored(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* storage refused (a private window): the prompt may come back */
  }
}

function keyBytes(value) {
  const padded = (value + "=".repeat((4 - (value.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
}

async function registration() {
  await navigator.serviceWorker.register("/sw.js");
  return navigator.serviceWorker.ready;
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`${response.status}`);
  }
  return response.json();
}

function say(message) {
  const status = prompt.querySelector("[data-push-status]");
  status.textContent = message;
}

function showBell(on) {
  bell.hidden = false;
  bell.setAttribute("aria-pressed", on ? "true" : "false");
}

async function turnOn() {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") {
    say(prompt.dataset.pushBlocked);
    return false;
  }
  try {
    const worker = await registration();
    const answer = await fetch(prompt.dataset.pushKey);
    const { key } = await answer.json();
    const subscription = await worker.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: keyBytes(key),
    });
    await post(prompt.dataset.pushSubscribe, subscription.toJSON());
  } catch {
    say(prompt.dataset.pushFailed);
    return false;
  }
  showBell(true);
  say(prompt.dataset.pushOn);
  return true;
}

async function turnOff() {
  const worker = await registration();
  const subscription = await worker.pushManager.getSubscription();
  if (subscription) {
    await post(prompt.dataset.pushUnsubscribe, { endpoint: subscription.endpoint }).catch(() => {});
    await subscription.unsubscribe();
  }
  showBell(false);
  say(prompt.dataset.pushOff);
}

async function start() {
  if (!supported) {
    return;
  }
  if (document.body.classList.contains("article-view")) {
    store(STORIES_KEY, String(Number(stored(STORIES_KEY) || 0) + 1));
  }
  const worker = await registration().catch(() => null);
  if (!worker) {
    return;
  }
  const subscription = await worker.pushManager.getSubscription().catch(() => null);
  showBell(Boolean(subscription));
  bell.addEventListener("click", async () => {
    prompt.hidden = false;
    if (bell.getAttribute("aria-pressed") === "true") {
      await turnOff();
    } else {
      await turnOn();
    }
  });
  prompt.querySelector("[data-push-accept]").addEventListener("click", turnOn);
  prompt.querySelector("[data-push-dismiss]").addEventListener("click", () => {
    store(DISMISSED_KEY, String(Date.now()));
    prompt.hidden = true;
  });
  const dismissedAt = Number(stored(DISMISSED_KEY) || 0);
  const enoughStories = Number(stored(STORIES_KEY) || 0) >= STORIES_BEFORE_ASKING;
  if (!subscription && Notification.permission !== "denied" && enoughStories && Date.now() - dismissedAt > DISMISS_MS) {
    prompt.hidden = false;
  }
}

start();
