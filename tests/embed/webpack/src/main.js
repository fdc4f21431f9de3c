// webpack 5: the default (bundler) build, loaded with a dynamic import so a failure can show a
// fallback, and the element, as the package README shows.
import "borgerblik/element";

try {
  const { Engine, kleTitle } = await import("borgerblik");
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
