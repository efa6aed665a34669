// somon.js: optional comfort. Every page works without it; this adds a date
// slider to the overview that redraws the table and the map in place (and
// says what the map shows now in the live region #map-status), makes the
// municipalities of the map clickable, and lets the keyboard reach a table
// that scrolls sideways.
'use strict';

// A click on a municipality of the map opens its page. The drawing holds no
// links (it is one image for assistive technology; the list under it has
// them), so the path's data-href says where to go. Delegated: the slider
// replaces the map.
document.addEventListener('click', function (e) {
  var muni = e.target.closest && e.target.closest('svg.map g.muni[data-href]');
  if (!muni || e.button !== 0) return;
  var href = muni.getAttribute('data-href');
  if (e.ctrlKey || e.metaKey || e.shiftKey) window.open(href, '_blank', 'noopener'); // as a link would
  else window.location.assign(href);
});

// A box that scrolls sideways (a wide table on a phone, the enlarged map)
// gets a Tab stop and a name, so a keyboard can scroll it (WCAG 2.1.1); it
// loses them again when everything fits.
(function () {
  function update() {
    document.querySelectorAll('.scroll, .map-frame').forEach(function (box) {
      var wide = box.scrollWidth > box.clientWidth + 1;
      if (wide && !box.hasAttribute('tabindex')) {
        var caption = box.querySelector('caption');
        box.setAttribute('tabindex', '0');
        box.setAttribute('role', 'region');
        box.setAttribute('aria-label', caption ? caption.textContent.trim() : box.matches('.map-frame') ? 'Kaart' : 'Tabel');
        box.dataset.scrollStop = '1';
      } else if (!wide && box.dataset.scrollStop) {
        ['tabindex', 'role', 'aria-label', 'data-scroll-stop'].forEach(function (a) { box.removeAttribute(a); });
      }
    });
  }
  var timer = null;
  function soon() { clearTimeout(timer); timer = setTimeout(update, 50); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', update);
  else update();
  window.addEventListener('resize', soon);
  window.addEventListener('hashchange', soon);
  if (window.MutationObserver) new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
})();

(function () {
  var form = document.querySelector('form.dates[action="/"]'); // the overview's form only
  var date = document.getElementById('date');
  if (!form || !date || !window.fetch || !window.DOMParser) return;

  // The slider starts at the chart's first month (the earliest agreement),
  // which the server puts on the form; this month when it has none.
  var today = new Date();
  var start = /^\d{4}-\d{2}/.test(form.dataset.first || '') ? form.dataset.first : today.toISOString();
  var y0 = parseInt(start.slice(0, 4), 10), m0 = parseInt(start.slice(5, 7), 10) - 1;
  var months = Math.max(1, (today.getFullYear() - y0) * 12 + today.getMonth() - m0 + 1);

  function monthIndex(iso) {
    var y = parseInt(iso.slice(0, 4), 10), m = parseInt(iso.slice(5, 7), 10);
    return Math.max(0, Math.min(months - 1, (y - y0) * 12 + m - 1 - m0));
  }
  // The last day of month k after the first month, or today for this month.
  function monthEnd(k) {
    var y = y0 + Math.floor((m0 + k) / 12), m = (m0 + k) % 12;
    var end = new Date(Date.UTC(y, m + 1, 0));
    if (k === months - 1) end = new Date(Date.UTC(today.getFullYear(), today.getMonth(), today.getDate()));
    return end.toISOString().slice(0, 10);
  }
  function label(iso) { return iso.slice(8, 10) + '/' + iso.slice(5, 7) + '/' + iso.slice(0, 4); }

  var wrap = document.createElement('p');
  wrap.className = 'slider';
  var l = document.createElement('label');
  l.setAttribute('for', 'month');
  l.textContent = 'Schuif door de tijd';
  var range = document.createElement('input');
  range.type = 'range';
  range.id = 'month';
  range.min = '0';
  range.max = String(months - 1);
  range.value = String(monthIndex(date.value || monthEnd(months - 1)));
  var out = document.createElement('output');
  out.setAttribute('for', 'month');
  out.textContent = label(date.value || monthEnd(months - 1));
  wrap.appendChild(l);
  wrap.appendChild(range);
  wrap.appendChild(out);
  form.appendChild(wrap);

  var pending = null, timer = null;
  function redraw(iso) {
    var params = new URLSearchParams(new FormData(form));
    params.set('date', iso);
    var url = '/?' + params.toString();
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(url, { signal: pending.signal, headers: { 'Accept': 'text/html' } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        ['table-h', 'map-h'].forEach(function (id) {
          var fresh = doc.getElementById(id), old = document.getElementById(id);
          if (fresh && old) old.closest('section').replaceWith(fresh.closest('section'));
        });
        // the live region stays; only its words change, so they are announced
        var said = doc.getElementById('map-status'), live = document.getElementById('map-status');
        if (said && live) live.textContent = said.textContent;
        var h1 = doc.querySelector('h1'), here = document.querySelector('h1');
        if (h1 && here) here.textContent = h1.textContent;
        var p = doc.getElementById('prognosis'), mine = document.getElementById('prognosis');
        if (p && mine) mine.value = p.value;
        history.replaceState(null, '', url);
      })
      .catch(function () { /* the form still works: nothing to do */ });
  }
  range.addEventListener('input', function () {
    var iso = monthEnd(parseInt(range.value, 10));
    date.value = iso;
    // a prognosis before the date means nothing: move it to the end of that year
    var prognosis = document.getElementById('prognosis');
    if (prognosis && prognosis.value && prognosis.value < iso) prognosis.value = iso.slice(0, 4) + '-12-31';
    out.textContent = label(iso);
    clearTimeout(timer);
    timer = setTimeout(function () { redraw(iso); }, 150);
  });
})();

// ---- forms for people (issue 11): the agreement id proposed while typing,
// and a name picked from the list added to the pasted list. Both forms work
// without this: the server proposes the id on the first save, and a name can
// be typed into the list by hand.
(function () {
  var form = document.querySelector('form.edit[action="/agreements"]');
  var id = form && document.getElementById('f-id');
  if (id && window.fetch && window.DOMParser) {
    var proposed = id.value, timer = null, pending = null;
    var names = ['title', 'kind', 'vdab_directorate', 'regiegebied', 'start', 'expected_start'];
    var propose = function () {
      if (id.value !== proposed && id.value !== '') return; // the person chose an id: keep it
      var params = new URLSearchParams();
      names.forEach(function (n) {
        var f = form.elements[n];
        if (f && f.value) params.set(n, f.value);
      });
      if (!params.get('title')) return;
      if (pending) pending.abort();
      pending = new AbortController();
      fetch('/agreements/new?' + params.toString(), { signal: pending.signal, headers: { 'Accept': 'text/html' } })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('f-id');
          if (fresh && (id.value === proposed || id.value === '')) id.value = proposed = fresh.value;
        })
        .catch(function () { /* the server proposes one on the first save */ });
    };
    names.forEach(function (n) {
      var f = form.elements[n];
      if (!f) return;
      f.addEventListener(f.tagName === 'SELECT' || f.type === 'date' ? 'change' : 'input', function () {
        clearTimeout(timer);
        timer = setTimeout(propose, 250);
      });
    });
  }

  // Enter (or picking from the list) in "Zoek een naam" adds the name to the pasted list.
  document.querySelectorAll('input[data-adds-to]').forEach(function (one) {
    var list = document.getElementById(one.dataset.addsTo);
    if (!list) return;
    one.closest('p').hidden = false;
    // the list's options are filled while typing (below): a name is picked when it is one of them
    var picked = function () {
      return one.list && Array.prototype.some.call(one.list.options, function (o) { return o.value === one.value; });
    };
    var add = function () {
      var name = one.value.trim();
      if (!name) return;
      list.value = list.value.replace(/\s*$/, '') + (list.value.trim() ? '\n' : '') + name + '\n';
      one.value = '';
    };
    one.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') { e.preventDefault(); add(); }
    });
    one.addEventListener('change', function () { if (picked()) add(); });
  });
})();
// ---- end of forms for people

// ---- municipality names (issue 12). A field that takes a municipality has an
// empty <datalist data-names="URL">: the server sends no list of 90,000 names
// with every form. The URL names the version of the reference data, so the
// browser fetches it once and keeps it; while a person types, the datalist is
// filled with the names that fit (those that begin with what is typed first,
// then those that contain it), at most SHOWN. Without this, the field takes a
// typed name, which the server resolves or answers with the nearest names.
(function () {
  var SHOWN = 50, loaded = {};
  if (!window.fetch) return;
  // as the server compares names: case, accents, '-', '_' and blanks do not matter
  function fold(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[-_\s\u00a0]+/g, ' ').trim();
  }
  function names(url) {
    if (!loaded[url]) {
      loaded[url] = fetch(url, { headers: { 'Accept': 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (all) { return all.map(function (n) { return [fold(n), n]; }); });
      loaded[url].catch(function () { delete loaded[url]; }); // asked again at the next key
    }
    return loaded[url];
  }
  function fits(all, typed) {
    var want = fold(typed), first = [], rest = [];
    if (!want) return [];
    for (var i = 0; i < all.length && first.length < SHOWN; i++) {
      var at = all[i][0].indexOf(want);
      if (at === 0) first.push(all[i][1]);
      else if (at > 0 && rest.length < SHOWN) rest.push(all[i][1]);
    }
    return first.concat(rest).slice(0, SHOWN);
  }
  document.querySelectorAll('datalist[data-names]').forEach(function (list) {
    var url = list.dataset.names;
    if (!url) return;
    document.querySelectorAll('input[list="' + list.id + '"]').forEach(function (field) {
      var offer = function () {
        names(url).then(function (all) {
          var now = fits(all, field.value);
          var same = now.length === list.options.length &&
            now.every(function (n, i) { return list.options[i].value === n; });
          if (same) return;
          list.replaceChildren.apply(list, now.map(function (n) {
            var o = document.createElement('option');
            o.value = n;
            return o;
          }));
        }).catch(function () { /* the server resolves what is typed */ });
      };
      field.addEventListener('input', offer);
      field.addEventListener('focus', offer);
    });
  });
})();
