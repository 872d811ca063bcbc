// Starts Swagger UI with the settings the page carries as JSON data: a file, because the
// site's Content Security Policy runs no inline script.
const settings = JSON.parse(document.getElementById("swagger-settings").textContent);

window.ui = window.SwaggerUIBundle({
  ...settings,
  dom_id: "#swagger-ui",
  presets: [window.SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
