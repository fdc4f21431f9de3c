// A plain page: the web build and the element straight from node_modules, no build step. The page is
// served with a strict Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval'; style-src 'self').
import "./node_modules/borgerblik/element/index.js";

try {
  const { default: init, Engine, kleTitle } = await import("./node_modules/borgerblik/web/borgerblik.js");
  await init();
  const [municipality, request] = await Promise.all(
    ["municipality.json", "citizen.json"].map((f) => fetch(f).then((r) => r.json())),
  );
  const view = document.querySelector("borgerblik-overview");
  view.kleTitle = kleTitle;
  view.engine = Engine.withMunicipality(municipality);
  view.request = request;
  document.body.dataset.ready = "true";
} catch (e) {
  document.getElementById("fallback").hidden = false;
  document.body.dataset.ready = "fallback";
}
