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
