/* Keep a report's waiting page current: poll the report's own address for its status (as JSON)
   every 2 s while it is written; fetch the file once it is ready (the download starts and this
   page stays), and reload to show why if it failed. Without JavaScript the page refreshes itself
   (a <noscript> meta refresh), which starts the download the same way. */
(function () {
  "use strict";
  var box = document.getElementById("report-wait");
  if (!box || !window.fetch) {
    return;
  }
  var url = window.location.href;

  function show(name, value) {
    var field = box.querySelector('[data-field="' + name + '"]');
    if (field && field.textContent !== String(value)) {
      field.textContent = value;
    }
  }

  function update(status) {
    if (status.status === "failed") {
      window.location.reload();
      return;
    }
    var bar = box.querySelector("progress");
    if (status.status === "done") {
      if (bar) {
        bar.value = bar.max;
      }
      show("status", "The report is ready: your download starts now.");
      window.location.assign(url);
      return;
    }
    show("status", status.message);
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
