// Occupation autocomplete shared by the profile form and the employer form.
// Typing two letters or more in `input` lists the matching taxonomy occupations (the JSON API
// /api/occupations/suggest: names the typed words begin, then the best spelling matches) in
// `list`; clicking one calls pick(occupation_id, label) and clears both. A job title that is
// not part of the label is shown beside it ("Brevbärare – Postiljon"), so the choice is clear.
function occupationSearch(input, list, pick) {
  var timer = null;
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
  input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") ev.preventDefault(); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { list.innerHTML = ""; return; }
    timer = setTimeout(function () {
      fetch("/api/occupations/suggest?q=" + encodeURIComponent(q) + "&top=8", {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : {}; })
        .then(function (data) { show(data.candidates || []); })
        .catch(function () { list.innerHTML = ""; });
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
