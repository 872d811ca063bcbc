// Embeds: nothing is loaded from the provider until the reader presses the button; then
// the facade gives way to the provider's frame, at the address the page names.
function load(figure) {
  const frame = document.createElement("iframe");
  frame.src = figure.dataset.embedSrc;
  frame.title = figure.dataset.embedTitle;
  frame.className = "embed__frame";
  frame.referrerPolicy = "strict-origin-when-cross-origin";
  frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
  frame.setAttribute("allowfullscreen", "");
  figure.querySelector(".embed__facade").replaceWith(frame);
  figure.classList.add("embed--loaded");
  frame.focus();
}

document.querySelectorAll("[data-embed]").forEach((figure) => {
  const button = figure.querySelector("[data-embed-load]");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", () => load(figure), { once: true });
});
