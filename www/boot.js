// Runs before the page's module (a classic script, so it also runs where modules cannot): when the
// page is opened as a file, or the module never starts (a syntax error, a missing file), say so on
// the page instead of waiting forever.
(function () {
  'use strict';
  function show(text) {
    var el = document.getElementById('fatal');
    if (!el || document.body.dataset.state !== 'loading') return;
    document.body.dataset.state = 'error';
    el.hidden = false;
    el.textContent = '';
    var h = document.createElement('h2');
    h.textContent = 'Forhåndsvisningen kan ikke bruges lige nu';
    var p = document.createElement('p');
    p.textContent = text;
    el.appendChild(h);
    el.appendChild(p);
    var summary = document.getElementById('summary');
    if (summary) summary.textContent = 'Beregningsmotoren er ikke indlæst.';
  }
  document.addEventListener('DOMContentLoaded', function () {
    if (window.location.protocol === 'file:') {
      show('Siden skal åbnes gennem en lokal webserver, ikke direkte som fil. Start den med scripts/preview.sh og åbn den adresse, der skrives ud.');
      return;
    }
    window.setTimeout(function () {
      show('Siden startede ikke inden for 30 sekunder. Genindlæs siden; hjælper det ikke, så byg den igen med scripts/preview.sh.');
    }, 30000);
  });
}());
