/* placelab: keeps a page's response-rate figures current.
 *
 * An element with data-live-url is polled every data-live-every seconds (10 by default) while
 * the tab is visible; the JSON of api:response_rate replaces the figures in the rows marked
 * data-group="grouping:key", and those of the element marked data-group="overall" (the study
 * page's checklist is one: api:study_status). Without JavaScript the page shows the figures as
 * they were when it loaded, with a link to refresh them. Text is set with textContent only,
 * never as HTML.
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-live-url]");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-live-url");
  var every = 1000 * (parseInt(root.getAttribute("data-live-every"), 10) || 10);
  var announce = root.querySelector('[data-live="announce"]');
  var asOf = root.querySelector('[data-live="as_of"]');
  // The figure the page was drawn with, so that the first change after loading is announced.
  var drawn = root.querySelector('[data-group="overall"] [data-field="submitted"]');
  var lastSubmitted = drawn && drawn.textContent !== "" ? parseInt(drawn.textContent, 10) : null;
  var timer = null;

  function percent(rate) {
    return rate.rate === null ? "" : Math.round(100 * rate.rate) + "%";
  }

  function cell(field, text) {
    var td = document.createElement("td");
    td.className = "num";
    td.setAttribute("data-field", field);
    td.textContent = text;
    return td;
  }

  function fillRow(row, rate) {
    while (row.cells.length > 1) { row.deleteCell(1); }
    if (rate.hidden) {
      var td = document.createElement("td");
      td.colSpan = 4;
      td.className = "withheld";
      td.textContent = rate.hidden;
      row.appendChild(td);
      return;
    }
    row.appendChild(cell("invited", String(rate.invited)));
    row.appendChild(cell("started", String(rate.started)));
    row.appendChild(cell("submitted", String(rate.submitted)));
    row.appendChild(cell("percent", percent(rate)));
  }

  function fillOverall(rate) {
    var card = root.querySelector('[data-group="overall"]');
    if (!card) { return; }
    var values = {
      percent: rate.hidden || percent(rate),
      submitted: rate.hidden ? "" : String(rate.submitted),
      invited: rate.hidden ? "" : String(rate.invited),
      started: rate.hidden ? "" : String(rate.started)
    };
    // The study page's figures add the invitations emailed (api:study_status).
    if (rate.sent !== undefined) { values.sent = rate.hidden ? "" : String(rate.sent); }
    Object.keys(values).forEach(function (field) {
      card.querySelectorAll('[data-field="' + field + '"]').forEach(function (el) {
        el.textContent = values[field];
      });
    });
  }

  function rowsByGroup() {
    var rows = {};
    root.querySelectorAll("tr[data-group]").forEach(function (tr) {
      rows[tr.getAttribute("data-group")] = tr;
    });
    return rows;
  }

  function update(data) {
    var rows = rowsByGroup();
    var unseen = false;
    fillOverall(data.overall);
    Object.keys(data.groups).forEach(function (grouping) {
      data.groups[grouping].forEach(function (rate) {
        var row = rows[grouping + ":" + rate.key];
        if (row) { fillRow(row, rate); } else { unseen = true; }
      });
    });
    if (asOf) { asOf.textContent = new Date(data.as_of).toLocaleTimeString("en-GB"); }
    var submitted = data.overall.submitted;
    if (announce && lastSubmitted !== null && submitted !== lastSubmitted) {
      announce.textContent = submitted === null ? "Figures updated." :
        "Now " + submitted + " of " + data.overall.invited + " have submitted.";
    }
    if (announce && unseen) {
      announce.textContent = "New groups have been invited: refresh the page to see them.";
    }
    lastSubmitted = submitted;
    if (data.status !== "open") { stop(); }
  }

  function poll() {
    if (document.visibilityState === "hidden") { return; }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { update(data); } })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  function stop() {
    if (timer !== null) { window.clearInterval(timer); timer = null; }
  }

  if (root.getAttribute("data-wave-status") === "open") {
    timer = window.setInterval(poll, every);
    document.addEventListener("visibilitychange", poll);
  }
}());
