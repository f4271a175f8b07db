/* cchc-site: kiosk mode and the offline service worker.
 * A classic script (no modules, no fetch) loaded in <head> without defer, so
 * the kiosk class is on <html> before the first paint; everything else waits
 * for the DOM. Works opened from file:// (the worker is only registered over
 * http(s)).
 *
 * Kiosk mode: ?kiosk=1 on any page stores a flag in localStorage, ?kiosk=0
 * removes it. In kiosk mode the page shows the Home/Back bar, has larger text,
 * and after data-idle seconds without touch, pointer, key or scroll opens a
 * countdown of data-countdown seconds (≥ 20) with a "Tiếp tục" button; at zero
 * a waiting new version of the site is applied and the page goes home.
 *
 * A reset is a session boundary. Each kiosk session has a number (localStorage
 * 'cchc-kiosk-session', raised by every reset), and every page records in its
 * history entry the session it was shown in. A page of an earlier session,
 * reached by Back, by the browser's own history or from the back-forward cache,
 * is hidden before it paints and replaced by the home page: nothing of the
 * previous citizen is shown again. The first page of a session has no Back.
 * The reset also clears sessionStorage; form fields start empty on new pages.
 */
(function () {
  'use strict';
  var KEY = 'cchc-kiosk';
  var html = document.documentElement;

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function kioskFlag() {
    var match = /[?&]kiosk=([01])(?:&|#|$)/.exec(location.search);
    var store = storage();
    if (match) {
      try {
        if (match[1] === '1') store.setItem(KEY, '1'); else store.removeItem(KEY);
      } catch (e) { /* no storage: kiosk mode for this page only */ }
      return match[1] === '1';
    }
    try { return !!store && store.getItem(KEY) === '1'; } catch (e) { return false; }
  }

  var kiosk = kioskFlag();
  if (kiosk) html.className += (html.className ? ' ' : '') + 'kiosk';

  /* ---- kiosk sessions ---- */
  var SESSION = 'cchc-kiosk-session', START = 'cchc-kiosk-start';

  function session() {
    try { return parseInt(storage().getItem(SESSION), 10) || 0; } catch (e) { return 0; }
  }

  function homeOf(home) {
    var stored = false;  // keep the device a kiosk even where localStorage is refused
    try { stored = storage().getItem(KEY) === '1'; } catch (e) { /* none */ }
    return stored ? home : home + '?kiosk=1';
  }

  /* Leave a page of an earlier session for the home page of this one, unseen. */
  function leaveStale() {
    if (html.className.indexOf('kiosk-stale') < 0) html.className += ' kiosk-stale';
    try { window.sessionStorage.setItem(START, '1'); } catch (e) { /* none */ }
    var link = document.querySelector('link[rel=home]');  // in <head>, before this script
    location.replace(homeOf(link ? link.href : 'index.html'));
  }

  /* True when this history entry belongs to an earlier session (and is being left). */
  function staleEntry() {
    if (!kiosk) return false;
    var state = history.state, now = session();
    if (state && typeof state.kioskSession === 'number') {
      if (state.kioskSession < now) { leaveStale(); return true; }
      return false;
    }
    var first = false;
    try {
      first = window.sessionStorage.getItem(START) === '1';
      window.sessionStorage.removeItem(START);
    } catch (e) { /* none */ }
    try { history.replaceState({ kioskSession: now, kioskFirst: first }, ''); } catch (e) { /* none */ }
    return false;
  }

  var stale = staleEntry();
  window.addEventListener('pageshow', function (event) {
    if (event.persisted && kiosk) staleEntry();  // restored from the back-forward cache
  });

  var body, registration = null;

  function byId(id) { return document.getElementById(id); }

  function number(name, fallback, least) {
    var value = parseInt(body.getAttribute(name), 10);
    return Math.max(least, isNaN(value) ? fallback : value);
  }

  /* ---- service worker (http and https only) ---- */
  function registerWorker() {
    var url = body.getAttribute('data-sw');
    if (!url || !('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) return;
    var sw = navigator.serviceWorker;
    sw.register(url, { updateViaCache: 'none' }).then(function (reg) {
      registration = reg;
    }, function () { /* no offline copy: the site still works online */ });
    sw.ready.then(function (reg) {
      registration = reg;
      if (reg.active) reg.active.postMessage({ type: 'KIOSK', on: kiosk });
    });
  }

  /* Apply a waiting new version (kiosk reset), then continue. */
  function applyUpdate(then) {
    var reg = registration, done = false;
    function go() { if (!done) { done = true; then(); } }
    if (!reg || !reg.waiting || !navigator.serviceWorker) { go(); return; }
    navigator.serviceWorker.addEventListener('controllerchange', go);
    reg.waiting.postMessage({ type: 'SKIP_WAITING' });
    setTimeout(go, 10000); // never stay on a stale page because a worker hangs
  }

  /* ---- kiosk ---- */
  function setupKiosk() {
    var bar = byId('kiosk-bar');
    var back = byId('kiosk-back');
    var dialog = byId('kiosk-idle');
    var count = byId('kiosk-idle-count');
    var resume = byId('kiosk-continue');
    var home = body.getAttribute('data-home') || 'index.html';
    var link = document.createElement('a');
    link.href = home; // resolved against the page
    var homeUrl = link.href.split(/[?#]/)[0];
    var idleMs = number('data-idle', 120, 1) * 1000;
    var countdown = number('data-countdown', 30, 20);
    var idleTimer = null, tickTimer = null, deadline = 0, returnFocus = null, leaving = false;

    if (bar) bar.hidden = false;
    if (back) {
      var first = !!(history.state && history.state.kioskFirst);
      back.disabled = first || history.length <= 1;  // the session's first page: nothing to go back to
      back.addEventListener('click', function () {
        if (!(history.state && history.state.kioskFirst) && history.length > 1) history.back();
      });
    }
    if (!dialog || !count || !resume) return;

    function setInert(on) {
      var children = body.children;
      for (var i = 0; i < children.length; i++) {
        if (children[i] !== dialog) {
          if (on) children[i].setAttribute('inert', ''); else children[i].removeAttribute('inert');
        }
      }
    }

    function arm() {
      clearTimeout(idleTimer);
      if (!leaving) idleTimer = setTimeout(idle, idleMs);
    }

    /* The home page, at the top, nothing typed: already the state a reset would give. */
    function atRest() {
      var here = location.href.split(/[?#]/)[0];
      if (here !== homeUrl || window.pageYOffset > 10) return false;
      var fields = document.querySelectorAll('input, select, textarea');
      for (var i = 0; i < fields.length; i++) {
        if (fields[i].type !== 'hidden' && fields[i].value && fields[i].type !== 'submit') return false;
      }
      return true;
    }

    function idle() {
      if (!atRest()) { openDialog(); return; }
      // nobody is using the kiosk: no countdown over an untouched home page; just take
      // a waiting new version of the site, if any
      if (registration && registration.waiting) reset();
      else {
        if (registration) registration.update().catch(function () {});
        arm();
      }
    }

    function tick() {
      var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      count.textContent = String(left);
      if (left <= 0) reset();
    }

    function openDialog() {
      returnFocus = document.activeElement;
      deadline = Date.now() + countdown * 1000;
      count.textContent = String(countdown);
      dialog.hidden = false;
      setInert(true);
      resume.focus();
      clearInterval(tickTimer);
      tickTimer = setInterval(tick, 1000);
      if (registration) registration.update().catch(function () {});
    }

    function closeDialog() {
      clearInterval(tickTimer);
      dialog.hidden = true;
      setInert(false);
      if (returnFocus && returnFocus.focus && returnFocus !== body) {
        try { returnFocus.focus(); } catch (e) { /* gone */ }
      }
      arm();
    }

    /* End the session: a new session number (every page of this one becomes stale), an
       empty sessionStorage, and the home page as the new session's first page. */
    function reset() {
      clearInterval(tickTimer);
      leaving = true;
      try { storage().setItem(SESSION, String(session() + 1)); } catch (e) { /* none */ }
      try {
        window.sessionStorage.clear();
        window.sessionStorage.setItem(START, '1');
      } catch (e) { /* none */ }
      applyUpdate(function () { location.replace(homeOf(home)); });
    }

    function activity(event) {
      if (leaving) return;
      if (!dialog.hidden) {
        // While the countdown runs, a key or a click on the dialog (button or backdrop) keeps
        // the session; not pointerdown: closing then would hand the touch's click to the
        // link under the dialog.
        if (event.type === 'keydown') closeDialog();
        return;
      }
      arm();
    }

    dialog.addEventListener('click', function () { if (!leaving && !dialog.hidden) closeDialog(); });
    setupAway();
    ['pointerdown', 'pointermove', 'touchstart', 'keydown', 'wheel', 'scroll'].forEach(function (type) {
      window.addEventListener(type, activity, { capture: true, passive: true });
    });
    arm();
  }

  /* ---- kiosk: links to other sites open a dialog with the address and its QR code ---- */
  /* Leaving the site would strand the kiosk (offline: the browser's error page with no way
     back; online: the next citizen inherits the session on the other site). The address
     is shown in full and as a QR code (qrcode-generator, vendored, loaded only in kiosk
     mode) so that the citizen continues on a phone; the page stays as it was. */
  function setupAway() {
    var away = byId('kiosk-away'), box = byId('kiosk-away-qr'), text = byId('kiosk-away-url');
    var close = byId('kiosk-away-close');
    if (!away || !box || !text || !close) return;
    var returnFocus = null, wanted = null, loading = false;

    function elsewhere(a) {
      var href = a.href || '';
      if (/^(mailto|tel|sms):/i.test(href)) return true;
      if (!/^https?:/i.test(href)) return false;  // file:// and relative links stay on the site
      return location.protocol === 'file:' || a.host !== location.host;
    }

    function drawQr() {
      if (!wanted || typeof window.qrcode !== 'function') return;
      try {
        var qr = window.qrcode(0, 'M');
        qr.addData(wanted, 'Byte');
        qr.make();
        box.innerHTML = qr.createSvgTag({ cellSize: 4, margin: 4, scalable: true,
                                          alt: 'Mã QR của địa chỉ ' + wanted });
      } catch (e) { box.textContent = ''; }  // too long for a QR code: the address is still shown
    }

    function loadQr() {
      if (typeof window.qrcode === 'function' || loading) { drawQr(); return; }
      var src = body.getAttribute('data-qr');
      if (!src) return;
      loading = true;
      var script = document.createElement('script');
      script.src = src;
      script.onload = drawQr;
      document.head.appendChild(script);
    }

    function open(url) {
      returnFocus = document.activeElement;
      wanted = url;
      text.textContent = url;
      box.textContent = '';
      away.hidden = false;
      for (var i = 0; i < body.children.length; i++) {
        if (body.children[i] !== away) body.children[i].setAttribute('inert', '');
      }
      close.focus();
      loadQr();
    }

    function shut() {
      away.hidden = true;
      wanted = null;
      for (var i = 0; i < body.children.length; i++) body.children[i].removeAttribute('inert');
      if (returnFocus && returnFocus.focus) { try { returnFocus.focus(); } catch (e) { /* gone */ } }
    }

    document.addEventListener('click', function (event) {
      var a = event.target && event.target.closest ? event.target.closest('a[href]') : null;
      if (!a || !elsewhere(a)) return;
      event.preventDefault();
      open(a.href);
    }, true);
    close.addEventListener('click', shut);
    away.addEventListener('click', function (event) { if (event.target === away) shut(); });
    document.addEventListener('keydown', function (event) {
      if (!away.hidden && (event.key === 'Escape' || event.key === 'Esc')) shut();
    });
  }

  /* ---- offline page: "Thử lại" goes back to the page that could not be opened ---- */
  function setupRetry() {
    var retry = byId('offline-retry');
    var match = /[?&]from=([^&#]*)/.exec(location.search);
    if (!retry || !match) return;
    var from;
    try { from = decodeURIComponent(match[1]); } catch (e) { return; }
    if (!/^[A-Za-z0-9._~%\/-]*$/.test(from) || from.indexOf('..') !== -1 || from.charAt(0) === '/') return;
    retry.setAttribute('href', (body.getAttribute('data-root') || '') + from);
    retry.hidden = false;
  }

  function init() {
    body = document.body;
    if (stale) return;  // on its way to the home page
    registerWorker();
    setupRetry();
    if (kiosk) setupKiosk();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
