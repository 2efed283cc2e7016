/* Keep an analysis page's progress current: poll the status every 2 s while the run is queued
   or running, and reload the page when it has finished or failed. Without JavaScript the page
   refreshes itself (a <noscript> meta refresh) and has a refresh link. */
(function () {
  "use strict";
  var box = document.getElementById("run-status");
  if (!box || box.getAttribute("data-active") !== "1" || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var labels = { queued: "Queued", running: "Running", done: "Done", failed: "Failed" };

  function show(name, value) {
    var field = box.querySelector('[data-field="' + name + '"]');
    if (field && field.textContent !== String(value)) {
      field.textContent = value;
    }
  }

  function update(status) {
    if (status.status === "done" || status.status === "failed") {
      window.location.reload();
      return;
    }
    show("status", labels[status.status] || status.status);
    show("step", status.step || "waiting for a worker");
    show("steps_done", status.steps_done);
    var bar = box.querySelector("progress");
    if (bar) {
      bar.value = Math.min(status.steps_done, bar.max);
    }
    window.setTimeout(poll, 2000);
  }

  function poll() {
    window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(update)
      .catch(function () {
        window.setTimeout(poll, 5000); // a blip in the connection: try again, more slowly
      });
  }

  window.setTimeout(poll, 2000);
})();
