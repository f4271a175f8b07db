/* cchc-site service worker (sw.js), generated at build time by cchc_site/offline.py.
 *
 * One cache per build: "cchc:<scope>:<version>". Install fills a new cache with
 * the build's files (each checked against its SHA-256 from the manifest, so a
 * file of another deployment is never stored); activate deletes every other
 * cache of this scope. Pages and assets of the build are answered from the
 * cache first; a navigation that neither the cache nor the network can answer
 * goes to the offline page. Above the size budget only the shell is precached
 * unless the device is a kiosk (the page posts {type: "KIOSK", on: true}).
 * A waiting new version takes over when a page posts {type: "SKIP_WAITING"}
 * (the kiosk does so at its idle reset).
 */
'use strict';

importScripts("assets/precache.14a20fcfea.js");

var M = self.CCHC_PRECACHE;
var ROOT = new URL('./', self.location).href;
var PREFIX = 'cchc:' + ROOT + ':';
var CACHE = PREFIX + M.version;
var SETTINGS = 'cchc-settings:' + ROOT;
var OFFLINE = new URL(M.offline, ROOT).href;
var HASH = new Map();
var ALL = [];
var SHELL = [];
M.files.forEach(function (f) {
  var url = new URL(f[0], ROOT).href;
  HASH.set(url, f[2]);
  ALL.push(url);
  if (f[3]) SHELL.push(url);
});

function hex(buffer) {
  var bytes = new Uint8Array(buffer);
  var out = '';
  for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  return out;
}

/* Fetch one file of this build from the network; null if the server holds another build's copy. */
async function fetchVerified(url) {
  var res = await fetch(new Request(url, { cache: 'reload', credentials: 'same-origin' }));
  if (!res.ok) throw new Error('precache: ' + res.status + ' ' + url);
  var body = await res.arrayBuffer();
  var digest = hex(await crypto.subtle.digest('SHA-256', body)).slice(0, 12);
  if (digest !== HASH.get(url)) return null;
  // A fresh Response: never store a redirected one (it cannot answer a navigation).
  return new Response(body, { status: 200, statusText: 'OK', headers: res.headers });
}

/* Put every url of `list` missing from this build's cache; strict = fail on any mismatch. */
async function fill(list, strict) {
  var cache = await caches.open(CACHE);
  var have = new Set((await cache.keys()).map(function (r) { return r.url; }));
  var todo = list.filter(function (u) { return !have.has(u); });
  var next = 0;
  async function worker() {
    while (next < todo.length) {
      var url = todo[next++];
      var res = await fetchVerified(url);
      if (res) await cache.put(url, res);
      else if (strict) throw new Error('precache: ' + url + ' belongs to another build');
      else return; // the server moved on to a newer build: stop, the new worker will take over
    }
  }
  var workers = [];
  for (var i = 0; i < 6; i++) workers.push(worker());
  await Promise.all(workers);
}

async function isKiosk() {
  var settings = await caches.open(SETTINGS);
  return !!(await settings.match('kiosk'));
}

async function setKiosk(on) {
  var settings = await caches.open(SETTINGS);
  if (!on) return settings.delete('kiosk');
  await settings.put('kiosk', new Response('1'));
  if (M.overBudget) await fill(ALL, false);
}

self.addEventListener('install', function (event) {
  event.waitUntil((async function () {
    var everything = !M.overBudget || await isKiosk();
    await fill(everything ? ALL : SHELL, true);
  })());
});

self.addEventListener('activate', function (event) {
  event.waitUntil((async function () {
    var names = await caches.keys();
    await Promise.all(names.filter(function (n) {
      return n.indexOf(PREFIX) === 0 && n !== CACHE;
    }).map(function (n) { return caches.delete(n); }));
    await self.clients.claim();
  })());
});

self.addEventListener('message', function (event) {
  var data = event.data || {};
  if (data.type === 'SKIP_WAITING') self.skipWaiting();
  else if (data.type === 'KIOSK') event.waitUntil(setKiosk(!!data.on));
});

/* Cache key of a request: no query or fragment, folder URLs name their index.html. */
function keyOf(href) {
  var url = new URL(href);
  url.search = '';
  url.hash = '';
  var key = url.href;
  if (key.charAt(key.length - 1) === '/') key += 'index.html';
  return key;
}

async function respond(request, key) {
  var cache = await caches.open(CACHE);
  var known = HASH.has(key);
  if (known) {
    var hit = await cache.match(key, { ignoreVary: true });
    if (hit) return hit;
  }
  try {
    var res = await fetch(request);
    if (known && res.ok && !res.redirected) {
      // a file of this build not precached yet (above the budget): keep it if it is this build's copy
      var copy = res.clone();
      copy.arrayBuffer().then(function (body) {
        return crypto.subtle.digest('SHA-256', body).then(function (d) {
          if (hex(d).slice(0, 12) === HASH.get(key)) {
            return cache.put(key, new Response(body, { status: 200, statusText: 'OK', headers: copy.headers }));
          }
        });
      }).catch(function () {});
    }
    return res;
  } catch (err) {
    if (request.mode === 'navigate' && key !== OFFLINE && await cache.match(OFFLINE)) {
      var from = key.indexOf(ROOT) === 0 ? key.slice(ROOT.length) : '';
      return Response.redirect(OFFLINE + '?from=' + encodeURIComponent(from), 302);
    }
    throw err;
  }
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET' || request.url.indexOf(ROOT) !== 0) return;
  var key = keyOf(request.url);
  if (!HASH.has(key) && request.mode !== 'navigate') return;
  event.respondWith(respond(request, key));
});
