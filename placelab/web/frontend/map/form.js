// The filters form: without JavaScript a plain GET; with it, the same URL is fetched, the map's
// graph refilled, the summary, the findings about the view and the table swapped in, and the
// address bar keeps the view (history.pushState), so every view stays a link to share.

const SWAPPED = ["#map-summary", "#map-findings", "#map-table-wrap"];

export function enhanceForm(form, { load }) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = new URLSearchParams(new FormData(form));
    for (const [name, value] of [...query.entries()]) if (!value) query.delete(name);
    const url = `${location.pathname}?${query}`;
    history.pushState({ query: query.toString() }, "", url);
    show(query.toString(), load);
  });
  window.addEventListener("popstate", () => show(location.search.slice(1), load));
}

async function show(query, load) {
  const [page] = await Promise.all([
    fetch(`${location.pathname}?${query}`, { credentials: "same-origin" }).then((r) => r.text()),
    load(query),
  ]);
  const fresh = new DOMParser().parseFromString(page, "text/html");
  for (const selector of SWAPPED) {
    const now = document.querySelector(selector);
    const then = fresh.querySelector(selector);
    if (now && then) now.replaceWith(then);
  }
  const form = document.querySelector("#map-filters");
  const freshForm = fresh.querySelector("#map-filters");
  if (form && freshForm) syncForm(form, freshForm);
  document.title = fresh.title;
  const heading = fresh.querySelector("h1");
  if (heading) document.querySelector("h1").textContent = heading.textContent;
}

// Keep the live form's values (its listeners stay) in step with the server's reading of the view.
function syncForm(form, fresh) {
  for (const field of fresh.elements) {
    if (!field.id) continue;
    const live = form.querySelector(`#${field.id}`);
    if (!live || live.tagName !== "SELECT") continue;
    [...live.options].forEach((option, i) => (option.selected = field.options[i]?.selected));
  }
}
