/* placelab: keeps the invitations page's counts current, above all after Send.
 *
 * The element with data-invite-url is polled (every 2 s while emails are going out, every 10 s
 * otherwise, only while the tab is visible and the wave is open); each [data-figure="name"]
 * inside it takes the JSON's value, and the [data-live="sending"] line says how far the sending
 * has got and, once done, what happened. Without JavaScript the page shows the counts as they
 * were when it loaded, with a link to refresh. Text is set with textContent only.
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-invite-url]");
  if (!root || !window.fetch || root.getAttribute("data-wave-status") !== "open") { return; }
  var url = root.getAttribute("data-invite-url");
  var line = root.querySelector('[data-live="sending"]');
  var total = parseInt(root.getAttribute("data-sending-total"), 10) || 0;
  var sending = total > 0;
  var reminding = false;
  var timer = null;

  function plural(count, one, many) { return count + " " + (count === 1 ? one : many); }

  function say(text) { if (line) { line.textContent = text; } }

  function report(data) {
    if (data.sending) {
      total = Math.max(total, data.unsent);
      say("Sending " + plural(total, "invitation", "invitations") + "… " +
          (total - data.unsent) + " sent so far.");
    } else if (sending) {
      say(data.unsent === 0 ? "Done: every invitation has been sent." :
          "Done, but " + plural(data.unsent, "invitation was", "invitations were") +
          " not sent: the mail server refused them. Press “Email invitations” to try again.");
      total = 0;
    } else if (data.reminding) {
      say("Sending reminders…");
    } else if (reminding) {
      say("Done: the reminders have gone.");
    }
    sending = data.sending;
    reminding = data.reminding;
  }

  function update(data) {
    root.querySelectorAll("[data-figure]").forEach(function (el) {
      var value = data[el.getAttribute("data-figure")];
      if (value !== undefined) { el.textContent = String(value); }
    });
    report(data);
    if (data.status !== "open") { stop(); } else { schedule(); }
  }

  function poll() {
    timer = null;
    if (document.visibilityState === "hidden") { return; }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { update(data); } else { schedule(); } })
      .catch(function () { schedule(); /* offline for a moment: try again */ });
  }

  function schedule() {
    if (timer === null) { timer = window.setTimeout(poll, (sending || reminding) ? 2000 : 10000); }
  }

  function stop() {
    if (timer !== null) { window.clearTimeout(timer); timer = null; }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { stop(); poll(); }
  });
  if (sending) { poll(); } else { schedule(); }
}());
