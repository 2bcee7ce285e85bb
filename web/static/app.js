// Tributary portal behaviour. Everything works without this file; it adds:
// - the CSRF token on every htmx request (from <meta name="csrf-token">);
// - a confirmation before submitting forms marked data-confirm (revoke, delete);
// - opening and closing branches of account trees (children load once, via htmx).
document.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector("meta[name=csrf-token]");
  if (meta) event.detail.headers["X-CSRF-Token"] = meta.content;
});

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

document.addEventListener("click", (event) => {
  const twisty = event.target.closest(".twisty");
  if (!twisty) return;
  const item = twisty.closest("[role=treeitem]");
  const group = item && item.querySelector(":scope > [role=group]");
  if (!group) return;
  const open = item.getAttribute("aria-expanded") === "true";
  item.setAttribute("aria-expanded", String(!open));
  group.hidden = open;
  twisty.textContent = open ? "▸" : "▾";
});

// Tier structure form: "Add row" clones the table's <template> row, "Remove" drops a row,
// and the level selects and metric-key suggestions follow the level and metric rows.
function refreshTierChoices(form) {
  if (!form) return;
  const names = [...form.querySelectorAll("input[data-level-name]")]
    .map((input) => input.value.trim())
    .filter((name) => name);
  for (const select of form.querySelectorAll("select[data-level-choice]")) {
    const index = select.selectedIndex;
    const current = select.value;
    select.replaceChildren(new Option("Level…", ""), ...names.map((name) => new Option(name, name)));
    if (current && names.includes(current)) select.value = current;
    else if (index > 0 && index <= names.length) select.selectedIndex = index;
  }
  const keys = form.querySelector("datalist#metric-keys");
  if (keys) {
    const values = [...form.querySelectorAll("input[data-metric-key]")]
      .map((input) => input.value.trim())
      .filter((key) => key);
    keys.replaceChildren(...values.map((key) => new Option(key, key)));
  }
}

document.addEventListener("click", (event) => {
  const add = event.target.closest("button[data-add-row]");
  if (add) {
    const name = add.dataset.addRow;
    const template = document.getElementById(`${name}-row`);
    const body = document.getElementById(`${name}-rows`);
    if (!template || !body) return;
    const row = template.content.firstElementChild.cloneNode(true);
    body.append(row);
    refreshTierChoices(add.form);
    const first = row.querySelector("input, select");
    if (first) first.focus();
    return;
  }
  const remove = event.target.closest("button[data-remove-row]");
  if (remove) {
    const form = remove.form;
    const row = remove.closest("tr");
    if (row) row.remove();
    refreshTierChoices(form);
  }
});

document.addEventListener("change", (event) => {
  if (event.target.matches("input[data-level-name], input[data-metric-key]")) refreshTierChoices(event.target.form);
});

// Review queue: "Check every row on this page" checks (or unchecks) the rows of the form it names.
document.addEventListener("change", (event) => {
  const all = event.target.closest("input[data-check-all]");
  if (!all) return;
  for (const box of document.querySelectorAll(`input[type=checkbox][name=ids][form="${all.dataset.checkAll}"]`)) {
    box.checked = all.checked;
  }
});

// Forms with parts that apply to one choice only (the plan editor's calculation and
// measure): an element marked data-shown-by="NAME" data-shown-for="a b" is hidden unless
// the form's NAME select holds one of those values. Without script every part shows.
function showChosenParts(form) {
  if (!form) return;
  for (const part of form.querySelectorAll("[data-shown-by]")) {
    const select = form.elements.namedItem(part.dataset.shownBy);
    if (!select) continue;
    part.hidden = !part.dataset.shownFor.split(" ").includes(select.value);
  }
}
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form")) {
    if (form.querySelector("[data-shown-by]")) showChosenParts(form);
  }
});
document.addEventListener("change", (event) => {
  if (event.target.matches("select") && event.target.form) showChosenParts(event.target.form);
});
