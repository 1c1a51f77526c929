// The live preview: ask /state for anything newer than what is shown, then swap the page
// images in place (the scroll position stays where the reader left it).
"use strict";
let shown = 0;

function list(id, lines) {
  const ul = document.getElementById(id);
  ul.replaceChildren(...lines.map((line) => {
    const li = document.createElement("li");
    li.textContent = line;
    return li;
  }));
}

function pages(state) {
  const main = document.getElementById("pages");
  main.classList.toggle("stale", state.problems.length > 0);
  while (main.children.length > state.pages) main.lastElementChild.remove();
  for (let i = 0; i < state.pages; i++) {
    let figure = main.children[i];
    if (!figure) {
      figure = document.createElement("figure");
      const img = document.createElement("img");
      img.alt = `Page ${i + 1}`;
      const text = document.createElement("figcaption");
      text.className = "page-text";
      figure.append(img, text);
      main.append(figure);
    }
    figure.querySelector("img").src = `/page/${state.good}/${i + 1}.png`;
    figure.querySelector("figcaption").textContent = state.texts[i];
  }
}

async function poll() {
  for (;;) {
    try {
      const response = await fetch(`/state?after=${shown}`, { cache: "no-store" });
      const state = await response.json();
      if (state.version > shown) {
        shown = state.version;
        list("problems", state.problems);
        list("warnings", state.warnings);
        pages(state);
        document.body.dataset.version = String(state.version);
        document.getElementById("status").textContent = state.problems.length
          ? `Save ${state.version}: ${state.problems.length} problem(s); the pages are those of save ${state.good}`
          : `Save ${state.version}: ${state.pages} page(s)`;
      }
    } catch (error) {
      document.getElementById("status").textContent = "The preview has stopped.";
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

poll();
