/* Keep a progress box current (an analysis run, a report being written): poll its status address
   (JSON) every 2 s while the work is queued or running. When it ends, go to the box's
   data-done-url if it has one (a report: the download starts and the page stays), else reload
   the page to show the outcome. Without JavaScript the page refreshes itself (a <noscript> meta
   refresh). */
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box || box.getAttribute("data-active") !== "1" || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var doneUrl = box.getAttribute("data-done-url");
  var labels = { queued: "Queued", running: "Running", done: "Done", failed: "Failed" };

  function show(name, value) {
    var field = box.querySelector('[data-field="' + name + '"]');
    if (field && value !== undefined && field.textContent !== String(value)) {
      field.textContent = value;
    }
  }

  function showProgress(done) {
    var bar = box.querySelector("progress");
    if (bar) {
      bar.value = Math.min(done, bar.max);
    }
  }

  function update(status) {
    if (status.status === "done" && doneUrl) {
      showProgress(Infinity);
      show("message", box.getAttribute("data-done-message"));
      window.location.assign(doneUrl);
      return;
    }
    if (status.status === "done" || status.status === "failed") {
      window.location.reload();
      return;
    }
    show("status", labels[status.status] || status.status);
    show("step", status.step || "waiting for a worker");
    show("message", status.message);
    show("steps_done", status.steps_done);
    showProgress(status.steps_done);
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
