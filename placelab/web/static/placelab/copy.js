/* placelab: a "Copy" button beside each private link (<code data-copy-label>).
 *
 * Without JavaScript, or without the clipboard API, the link stays as selectable text.
 */
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) { return; }
  document.querySelectorAll("code[data-copy-label]").forEach(function (code) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary copy";
    button.textContent = "Copy";
    button.setAttribute("aria-label", code.getAttribute("data-copy-label"));
    var said = document.createElement("span");
    said.className = "copied";
    said.setAttribute("role", "status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(code.textContent.trim()).then(function () {
        said.textContent = "Copied";
      }, function () {
        said.textContent = "Could not copy: select the link and copy it yourself";
      });
    });
    code.insertAdjacentElement("afterend", said);
    code.insertAdjacentElement("afterend", button);
  });
}());
