// Tributary portal behaviour: sends the CSRF token with every htmx request.
document.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector("meta[name=csrf-token]");
  if (meta) event.detail.headers["X-CSRF-Token"] = meta.content;
});
