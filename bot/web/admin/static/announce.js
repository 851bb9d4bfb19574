// The composer's live audience: who would get the announcement and what it costs, asked of the server (the same
// rule that sends it) whenever a choice changes. A file of its own: the console's pages allow no inline script.
(function () {
  "use strict";
  var form = document.getElementById("composer");
  var out = document.getElementById("audience");
  if (!form || !out) { return; }
  var asked = 0;
  var wanted = ["center", "districts", "network", "interest", "round", "with_alerts"];

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (wanted.indexOf(name) >= 0) { params.append(name, value); }
    });
    var image = form.querySelector("input[type=file][name=image]");
    if (image && image.files && image.files.length) { params.set("image", "1"); }
    return params.toString();
  }

  function count() {
    var mine = ++asked;
    fetch(form.dataset.audience + "?" + query(), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (mine !== asked) { return; }  // a later choice's answer wins
        out.textContent = data.summary || data.problem || "";
        out.dataset.members = data.members === undefined ? "" : String(data.members);
      })
      .catch(function () { if (mine === asked) { out.textContent = ""; } });
  }

  form.addEventListener("change", function (event) {
    if (event.target && (wanted.indexOf(event.target.name) >= 0 || event.target.name === "image")) { count(); }
  });
  count();
}());
