// The offline page lists the stories this device keeps (the service worker's "stories"
// cache), each under its headline, newest first.
const section = document.querySelector("[data-offline-stories]");

async function listKeptStories() {
  if (!section || !("caches" in window)) {
    return;
  }
  const cache = await caches.open("stories");
  const requests = (await cache.keys()).reverse();
  const list = section.querySelector("ul");
  const parser = new DOMParser();
  for (const request of requests) {
    const response = await cache.match(request);
    const page = parser.parseFromString(await response.text(), "text/html");
    const headline = page.querySelector("h1")?.textContent.trim() || new URL(request.url).pathname;
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = new URL(request.url).pathname;
    link.textContent = headline;
    item.append(link);
    list.append(item);
  }
  section.hidden = requests.length === 0;
}

listKeptStories();
