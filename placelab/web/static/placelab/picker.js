/* placelab's type-ahead for the survey's people and network pages: the ARIA 1.2 combobox with a
 * listbox.
 *
 * Without this file the page is plain HTML: a search box, a Find button, checkboxes. With it the
 * Find button hides; typing asks the server (data-find-url, JSON) for the people whose name or
 * organisation holds every word, any case, any accent (selectors/survey.py roster_find, the one
 * rule: the page never holds the roster); Up and Down move, Enter picks, Escape closes; each
 * person picked gets a Remove button. The posted field names are the same either way (alter=<id>,
 * freq-<id>). Names are data: they are set with textContent, never parsed as HTML.
 */
(function () {
  "use strict";

  var WAIT_MS = 150; // typing pauses this long before the server is asked

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function Picker(root) {
    this.root = root;
    this.form = root.closest("form");
    this.input = root.querySelector("input[type=search]");
    this.status = root.querySelector("[data-picker-status]");
    this.picked = document.getElementById(root.dataset.picked);
    this.empty = this.form.querySelector("[data-picker-empty]");
    this.template = document.getElementById(root.dataset.template);
    this.findUrl = root.dataset.findUrl;
    this.timer = null;
    this.waiting = false; // a search typed and not yet answered
    this.asked = 0; // the number of the newest request: an older answer arriving late is dropped
    this.options = [];
    this.active = -1;
    this.listbox = element("ul", "picker-options");
    this.setUp();
  }

  Picker.prototype.setUp = function () {
    var self = this;
    var input = this.input;
    this.listbox.id = input.id + "-options";
    this.listbox.setAttribute("role", "listbox");
    this.listbox.setAttribute("aria-label", "People on the list");
    this.listbox.hidden = true;
    this.root.querySelector(".picker-search").after(this.listbox);
    // Gone, not hidden: Enter in any other box must press "Save and continue", not a hidden Find.
    this.root.querySelector("[data-picker-find]").remove();
    this.root.querySelectorAll("[data-picker-nojs]").forEach(function (n) { n.hidden = true; });
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.listbox.id);
    this.picked.querySelectorAll(".person").forEach(function (li) { self.enhance(li); });
    input.addEventListener("input", function () { self.ask(); });
    input.addEventListener("blur", function () { self.close(); });
    input.addEventListener("keydown", function (event) { self.key(event); });
  };

  Picker.prototype.key = function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      this.move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter") {
      // Enter picks; it must not submit the form from the search box.
      event.preventDefault();
      if (this.active >= 0) this.choose(this.active);
      else if (this.options.length === 1) this.choose(0);
    } else if (event.key === "Escape") {
      // The list open, or about to open: Escape closes it; pressed again, it clears the box.
      var closing = !this.listbox.hidden || this.cancel();
      if (closing) {
        event.preventDefault();
        this.close();
      } else if (this.input.value) {
        event.preventDefault();
        this.input.value = "";
      }
    }
  };

  Picker.prototype.pickedIds = function () {
    var ids = new Set();
    this.form.querySelectorAll("input[name=alter]").forEach(function (n) {
      if (n.type === "hidden" || n.checked) ids.add(n.value);
    });
    return ids;
  };

  Picker.prototype.ask = function () {
    var self = this;
    window.clearTimeout(this.timer);
    if (!this.input.value.trim()) {
      this.asked += 1;
      this.options = [];
      this.close();
      return;
    }
    this.waiting = true;
    this.timer = window.setTimeout(function () { self.fetch(); }, WAIT_MS);
  };

  Picker.prototype.cancel = function () {
    // A search typed but not yet answered: its answer must not open the list after Escape.
    var pending = this.waiting;
    window.clearTimeout(this.timer);
    this.asked += 1;
    this.waiting = false;
    return pending;
  };

  Picker.prototype.fetch = function () {
    var self = this;
    var number = (this.asked += 1);
    this.waiting = true;
    var query = new URLSearchParams({ q: this.input.value, not: Array.from(this.pickedIds()).join(",") });
    window.fetch(this.findUrl + "?" + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (found) {
        if (number !== self.asked) return;
        self.waiting = false;
        self.open(found.people, found.more);
      })
      .catch(function () {
        if (number !== self.asked) return;
        self.waiting = false;
        self.say("The list could not be searched just now: try again in a moment.");
      });
  };

  Picker.prototype.open = function (people, more) {
    var self = this;
    this.options = people;
    this.active = -1;
    this.listbox.textContent = "";
    this.options.forEach(function (person, i) {
      var li = element("li", "", "");
      li.id = self.listbox.id + "-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.append(element("span", "person-name", person.name));
      if (person.organisation) li.append(element("span", "person-org", person.organisation));
      // Keep the focus in the box when a finger or mouse picks an option.
      li.addEventListener("mousedown", function (event) { event.preventDefault(); });
      li.addEventListener("click", function () { self.choose(i); });
      self.listbox.append(li);
    });
    this.show(this.options.length > 0);
    this.say(this.counted(people.length, more));
  };

  Picker.prototype.counted = function (n, more) {
    if (n === 0) return "No one on the list matches. You can add them below as someone not on the list.";
    var found = more ? "More than " + n + " people found: type more of the name to narrow them."
      : (n === 1 ? "1 person" : n + " people") + " found.";
    return found + " Use up and down to choose, Enter to pick.";
  };

  Picker.prototype.show = function (open) {
    this.listbox.hidden = !open;
    this.input.setAttribute("aria-expanded", String(open));
    this.input.removeAttribute("aria-activedescendant");
  };

  Picker.prototype.close = function () {
    this.active = -1;
    this.show(false);
  };

  Picker.prototype.move = function (by) {
    if (this.listbox.hidden && !this.options.length) {
      if (this.input.value.trim()) this.fetch(); // Down after Escape: search again
      return;
    }
    if (this.listbox.hidden) this.show(true);
    var n = this.options.length;
    if (!n) return;
    this.active = this.active < 0 && by < 0 ? n - 1 : (this.active + by + n) % n;
    var active = this.active;
    Array.prototype.forEach.call(this.listbox.children, function (li, i) {
      li.setAttribute("aria-selected", String(i === active));
    });
    var option = this.listbox.children[active];
    this.input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  };

  Picker.prototype.choose = function (i) {
    var person = this.options[i];
    // The same person may sit in the no-JavaScript search results: one control per person.
    var twin = this.form.querySelector('.person[data-person="' + person.id + '"]');
    if (twin) twin.remove();
    this.picked.append(this.row(person));
    this.input.value = "";
    this.asked += 1; // an answer still on its way is for the words just cleared
    this.options = [];
    this.close();
    this.refresh();
    this.say(person.name + " added. Say how often you are in touch below, or find someone else.");
    this.input.focus();
  };

  Picker.prototype.row = function (person) {
    var li = element("li", "person", "");
    li.dataset.person = person.id;
    var chosen = element("div", "person-chosen", "");
    var hidden = element("input", "", "");
    hidden.type = "hidden";
    hidden.name = "alter";
    hidden.value = person.id;
    chosen.append(hidden, element("span", "person-name", person.name));
    if (person.organisation) chosen.append(element("span", "person-org", person.organisation));
    var freq = element("div", "person-freq", "");
    var label = element("label", "", "How often are you in touch");
    label.append(element("span", "visually-hidden", " with " + person.name), "?");
    label.htmlFor = "freq-" + person.id;
    var select = this.template.content.querySelector("select").cloneNode(true);
    select.name = select.id = "freq-" + person.id;
    freq.append(label, select);
    li.append(chosen, freq, this.removeButton(li, person.name));
    return li;
  };

  Picker.prototype.enhance = function (li) {
    // A person the server already lists as picked: the checkbox becomes a Remove button.
    var pick = li.querySelector(".person-pick");
    var box = pick.querySelector("input[type=checkbox]");
    var chosen = element("div", "person-chosen", "");
    var hidden = element("input", "", "");
    hidden.type = "hidden";
    hidden.name = "alter";
    hidden.value = box.value;
    chosen.append(hidden);
    pick.querySelectorAll(".person-name, .person-org").forEach(function (n) { chosen.append(n); });
    pick.replaceWith(chosen);
    li.append(this.removeButton(li, chosen.querySelector(".person-name").textContent));
  };

  Picker.prototype.removeButton = function (li, name) {
    var self = this;
    var button = element("button", "secondary person-remove", "Remove");
    button.type = "button";
    button.append(element("span", "visually-hidden", " " + name));
    button.addEventListener("click", function () {
      li.remove();
      self.refresh();
      self.say(name + " removed.");
      self.input.focus();
    });
    return button;
  };

  Picker.prototype.refresh = function () {
    if (this.empty) this.empty.hidden = this.picked.children.length > 0;
  };

  Picker.prototype.say = function (text) {
    // Clear first, so that the same words said twice are announced twice.
    var status = this.status;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  };

  document.querySelectorAll("[data-picker]").forEach(function (root) { new Picker(root); });
})();
