// The leaflet desk's small helps; the form works without them (no inline script: CSP).
"use strict";
(function () {
  var form = document.getElementById("leaflet");
  if (!form) return;
  function counter(id, extra) {
    var field = document.getElementById(id), out = document.getElementById(id + "-count");
    if (!field || !out) return;
    var limit = field.maxLength;
    function update() {
      if (/[\r\n]/.test(field.value)) field.value = field.value.replace(/\s*[\r\n]+\s*/g, " ");
      out.textContent = field.value.length + " of " + limit + " characters" + extra;
      out.classList.toggle("full", field.value.length >= limit);
    }
    field.addEventListener("input", update);
    update();
  }
  counter("for_name", "");
  counter("note", "; a line break prints as a space");
  var note = document.getElementById("note");
  note.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); }   // one line on paper
  });
  var booklet = document.getElementById("booklet"), paper = form.querySelector(".paper");
  function paperShown() { paper.hidden = booklet.checked; }
  booklet.addEventListener("change", paperShown);
  paperShown();
  var create = document.getElementById("create"), busy = document.getElementById("busy");
  var enter = form.querySelector("button[name=enter]");     // Enter: the default button
  var query = document.getElementById("q");
  query.addEventListener("keydown", function (event) {      // Enter in the search box searches
    if (event.key !== "Enter") return;
    event.preventDefault();
    form.requestSubmit(form.querySelector(".search button[type=submit]"));
  });
  form.addEventListener("submit", function (event) {
    if (event.submitter !== create && event.submitter !== enter) return;
    // Enter in the search box searches (above): Enter elsewhere makes the leaflet
    form.elements.searched.value = query.value;
    if (form.dataset.sent) { event.preventDefault(); return; }   // a double click
    form.dataset.sent = "1";
    create.disabled = true;
    create.textContent = "Making your leaflet…";
    busy.textContent = "Making your leaflet… a long one can take half a minute.";
  });
  window.addEventListener("pageshow", function () {    // back to the page: usable again
    delete form.dataset.sent;
    create.disabled = false;
    create.textContent = "Create leaflet";
    busy.textContent = "";
  });
  fitEstimate();
  var problems = document.getElementById("problems");
  if (problems) { problems.tabIndex = -1; problems.focus(); }
  else if (location.hash === "#articles") { document.getElementById("articles").focus(); }
})();

// Before submitting: will the name and note fit the box on the front? The browser sets
// them in the leaflet's own personal layer (/fit/layer, the designers' leaflet.css and
// the bundled fonts) at the box's width (/fit.json, measured on the leaflet), in the
// chosen style and each smaller step, as the leaflet does; "fits" only with room to
// spare. The desk checks again when the leaflet is made: that check decides.
function fitEstimate() {
  var form = document.getElementById("leaflet"), out = document.getElementById("fit");
  if (!form || !out || !window.fetch) return;
  var name = document.getElementById("for_name"), note = document.getElementById("note");
  var frame = document.createElement("iframe");
  frame.className = "fit-frame";
  frame.title = "Measuring the name and note (not shown)";
  frame.setAttribute("aria-hidden", "true");
  frame.tabIndex = -1;
  frame.src = "/fit/layer";
  document.body.appendChild(frame);
  var boxes = {}, ready = false;
  function options() {
    var paper = document.getElementById("paper"), booklet = document.getElementById("booklet");
    return "paper=" + encodeURIComponent(paper.value) + "&style=" + encodeURIComponent(style().value) +
      (booklet.checked ? "&booklet=on" : "");
  }
  function style() {                            // the leaflet style chosen (styles.py)
    return document.querySelector('input[name="style"]:checked') || {value: "", dataset: {}};
  }
  function measure(box, step, cssClass) {          // the layer's height in points, or Infinity
    var doc = frame.contentDocument, personal = doc.querySelector(".personal");
    var texts = [doc.querySelector(".patient-name"), doc.querySelector(".clinician-note")];
    texts[0].textContent = name.value.trim();
    texts[1].textContent = note.value.trim();
    texts.forEach(function (span) { span.parentElement.style.display = span.textContent ? "" : "none"; });
    personal.parentElement.className = cssClass || "";
    personal.className = "personal fit-" + step;
    personal.style.width = box[0] + "pt";
    personal.style.minHeight = "0";
    if (personal.scrollWidth > personal.clientWidth + 1) return Infinity;
    return personal.getBoundingClientRect().height * 0.75;
  }
  function say() {
    var key = options(), found = boxes[key];
    if (!name.value.trim() && !note.value.trim()) { out.textContent = ""; return; }
    if (!found) { update(); return; }      // measured on the leaflet once, when needed
    if (!ready) return;
    var cssClass = style().dataset.cssClass;
    var tries = note.value.trim() ? [found.note] : [found.name, found.note], verdict = -1;
    for (var i = 0; i < tries.length && verdict < 0; i++) {
      for (var step = 0; step < found.steps && verdict < 0; step++) {
        if (measure(tries[i], step, cssClass) <= tries[i][1] - found.safety) verdict = step;
      }
    }
    out.classList.toggle("no", verdict < 0);
    out.dataset.verdict = verdict < 0 ? "no" : verdict === 0 ? "fits" : "smaller";
    out.textContent = verdict < 0 ? "Will not fit in the box on the front, even in smaller type: shorten the note (or the name)." :
      verdict === 0 ? "Fits in the box on the front." : "Fits in the box on the front in smaller type.";
  }
  var asked = {};
  function update() {
    var key = options();
    if (boxes[key]) { say(); return; }
    if (asked[key] || (!name.value.trim() && !note.value.trim())) return;
    asked[key] = true;
    fetch("/fit.json?" + key).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (found) { delete asked[key]; if (found) { boxes[key] = found; say(); } });
  }
  frame.addEventListener("load", function () {
    frame.contentDocument.fonts.ready.then(function () { ready = true; say(); });
  });
  [name, note].forEach(function (field) { field.addEventListener("input", say); });
  ["paper", "booklet"].forEach(function (id) {
    document.getElementById(id).addEventListener("change", update);
  });
  document.querySelectorAll('input[name="style"]').forEach(function (radio) {
    radio.addEventListener("change", update);
  });
}
