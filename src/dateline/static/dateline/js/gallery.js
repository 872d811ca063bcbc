// Galleries: the strip scrolls by swipe or trackpad on its own; this adds Previous and
// Next buttons and the arrow keys, each moving one picture, and keeps the buttons'
// state in step with where the strip is.
function setUp(gallery) {
  const strip = gallery.querySelector("[data-gallery-strip]");
  const slides = [...gallery.querySelectorAll("[data-gallery-slide]")];
  const previous = gallery.querySelector("[data-gallery-previous]");
  const next = gallery.querySelector("[data-gallery-next]");
  if (!strip || slides.length < 2 || !previous || !next) return;

  const current = () => {
    const left = strip.scrollLeft;
    let nearest = 0;
    slides.forEach((slide, index) => {
      if (Math.abs(slide.offsetLeft - strip.offsetLeft - left) <
          Math.abs(slides[nearest].offsetLeft - strip.offsetLeft - left)) nearest = index;
    });
    return nearest;
  };
  const go = (index) => {
    const target = slides[Math.max(0, Math.min(slides.length - 1, index))];
    strip.scrollTo({ left: target.offsetLeft - strip.offsetLeft });
  };
  const update = () => {
    const index = current();
    previous.disabled = index === 0;
    next.disabled = index === slides.length - 1;
  };

  previous.addEventListener("click", () => go(current() - 1));
  next.addEventListener("click", () => go(current() + 1));
  strip.addEventListener("keydown", (event) => {
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      event.preventDefault();
      go(current() + (event.key === "ArrowRight" ? 1 : -1) * (document.dir === "rtl" ? -1 : 1));
    }
  });
  let pending = 0;
  strip.addEventListener("scroll", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(update);
  }, { passive: true });
  gallery.querySelector("[data-gallery-controls]").hidden = false;
  update();
}

document.querySelectorAll("[data-gallery]").forEach(setUp);
