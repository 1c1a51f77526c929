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
  var problems = document.getElementById("problems");
  if (problems) { problems.tabIndex = -1; problems.focus(); }
  else if (location.hash === "#articles") { document.getElementById("articles").focus(); }
})();
