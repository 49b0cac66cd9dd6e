// Occupation autocomplete shared by the profile form and the employer form.
// Typing two letters or more in `input` lists the matching taxonomy occupations (the JSON API
// /api/occupations/suggest: names the typed words begin, then the best spelling matches) in
// `list`; clicking one (or Enter on it, reached with the arrow keys) calls
// pick(occupation_id, label) and clears both. A job title that is
// not part of the label is shown beside it ("Brevbärare – Postiljon"), so the choice is clear.
function occupationSearch(input, list, pick) {
  var timer = null, asked = 0;
  function buttons() { return Array.prototype.slice.call(list.querySelectorAll("button")); }
  function show(items) {
    list.innerHTML = "";
    items.forEach(function (c) {
      var li = document.createElement("li"), b = document.createElement("button");
      var named = c.matched_term && c.matched_term.length <= 40 &&
        c.label.toLowerCase().indexOf(c.matched_term.toLowerCase()) < 0;
      b.type = "button"; b.className = "link";
      b.textContent = c.label + (named ? " – " + c.matched_term : "") + " (" + c.ssyk4_code + ")";
      b.addEventListener("click", function () {
        pick(c.occupation_id, c.label); list.innerHTML = ""; input.value = ""; input.focus();
      });
      li.appendChild(b); list.appendChild(li);
    });
  }
  // Arrow keys move between the input and the listed occupations, Enter picks the focused
  // one (a button), Escape closes the list.
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") ev.preventDefault();
    if (ev.key === "ArrowDown" && buttons().length) { ev.preventDefault(); buttons()[0].focus(); }
    if (ev.key === "Escape") { list.innerHTML = ""; }
  });
  list.addEventListener("keydown", function (ev) {
    var all = buttons(), at = all.indexOf(document.activeElement);
    if (at < 0) return;
    if (ev.key === "ArrowDown") { ev.preventDefault(); all[Math.min(at + 1, all.length - 1)].focus(); }
    if (ev.key === "ArrowUp") { ev.preventDefault(); (at ? all[at - 1] : input).focus(); }
    if (ev.key === "Escape") { list.innerHTML = ""; input.focus(); }
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim(), mine = ++asked;
    if (q.length < 2) { list.innerHTML = ""; return; }
    timer = setTimeout(function () {
      fetch("/api/occupations/suggest?q=" + encodeURIComponent(q) + "&top=8", {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : {}; })
        // An answer to an older text (typing went on meanwhile) is dropped.
        .then(function (data) { if (mine === asked) show(data.candidates || []); })
        .catch(function () { if (mine === asked) list.innerHTML = ""; });
    }, 200);
  });
}

// A chosen occupation as a ticked checkbox chip in `chosen`; returns the checkbox.
function occupationChip(chosen, id, label) {
  var span = document.createElement("span"); span.className = "chip";
  var lab = document.createElement("label"); lab.className = "check";
  var box = document.createElement("input");
  box.type = "checkbox"; box.value = id; box.checked = true;
  lab.appendChild(box); lab.appendChild(document.createTextNode(" " + label));
  span.appendChild(lab); chosen.appendChild(span);
  return box;
}
