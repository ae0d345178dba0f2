/*
 * Xiangxin service worker: keeps the public pages a person has read available offline.
 *
 * - Pages (navigations): network first; when the network fails, or is too slow while a saved
 *   copy exists, the saved copy is shown and marked with the time it was saved.
 * - Styles, images and scripts: cache first (their addresses change when their content does).
 * - "My village" is kept in its own cache with what it needs to display, and refreshed when online.
 * - Never touched: /admin, /login, /logout, /preferences, any non-GET request, responses marked
 *   no-store or private (the server marks every signed-in response no-store), and nothing at all
 *   is served from the caches while the reader is signed in.
 *
 * Caches are named by the build (?v= on this script's address); a new build deletes the old ones.
 */
'use strict';

const VERSION = new URL(self.location.href).searchParams.get('v') || 'dev';
const PREFIX = 'xiangxin-';
const PAGES = `${PREFIX}pages-${VERSION}`;
const ASSETS = `${PREFIX}assets-${VERSION}`;
// Outlives builds: the village page and its own styles and photos stay together until refreshed.
const PINNED = `${PREFIX}my-village`;
const STATE_URL = new URL('/__sw/state', self.location.origin).href;
const SAVED_AT = 'X-Saved-At';
const MAX_PAGES = 40;
const MAX_ASSETS = 200;
/** On a crawling link, show the saved copy rather than a blank screen after this long. */
const SLOW_NETWORK_MS = 8000;
const PINNED_REFRESH_MS = 10 * 60 * 1000;
const PRIVATE = /^\/(admin|login|logout|preferences)(\/|$)/;
const VILLAGE_PATH = /^\/village\/\d{12}$/;
const ASSET_KINDS = new Set(['style', 'image', 'script', 'font']);

/** { signedIn, myVillage (a path or null), pinnedAt (ms) }, kept in the PINNED cache across restarts. */
let state;

async function loadState() {
  if (!state) {
    const saved = await (await caches.open(PINNED)).match(STATE_URL);
    state = saved ? await saved.json() : { signedIn: false, myVillage: null, pinnedAt: 0 };
  }
  return state;
}

async function saveState(changes) {
  state = { ...(await loadState()), ...changes };
  const body = JSON.stringify(state);
  await (await caches.open(PINNED)).put(STATE_URL, new Response(body, { headers: { 'Content-Type': 'application/json' } }));
}

function storable(response) {
  return response.status === 200 && response.type === 'basic' && !/no-store|private/i.test(response.headers.get('Cache-Control') || '');
}

function isHtml(response) {
  return (response.headers.get('Content-Type') || '').startsWith('text/html');
}

/** Stores a copy stamped with the time; with `max`, the oldest entries beyond it are dropped. */
async function save(cacheName, url, response, max) {
  const headers = new Headers(response.headers);
  headers.set(SAVED_AT, new Date().toISOString());
  // The body read here is already decoded; the copy is looked up by address only.
  for (const name of ['Content-Encoding', 'Content-Length', 'Vary']) headers.delete(name);
  const copy = new Response(await response.blob(), { status: 200, headers });
  const cache = await caches.open(cacheName);
  // Deleting first moves the entry to the end, so the list stays oldest first.
  await cache.delete(url);
  await cache.put(url, copy);
  if (max) {
    const keys = await cache.keys();
    await Promise.all(keys.slice(0, Math.max(0, keys.length - max)).map((key) => cache.delete(key)));
  }
}

async function cached(cacheName, url) {
  return (await caches.open(cacheName)).match(url);
}

async function newestCopy(url) {
  const [page, pinned] = await Promise.all([cached(PAGES, url), cached(PINNED, url)]);
  if (!page || !pinned) return page || pinned;
  return (page.headers.get(SAVED_AT) || '') >= (pinned.headers.get(SAVED_AT) || '') ? page : pinned;
}

/** The saved page, with its saving time on <html> for offline.js to show. */
async function savedCopy(response) {
  const savedAt = (response.headers.get(SAVED_AT) || '').replace(/[^0-9A-Z:.-]/g, '');
  const html = (await response.text()).replace(/<html\b/i, `<html data-saved-at="${savedAt}"`);
  return new Response(html, { status: 200, headers: response.headers });
}

function isMyVillage(url) {
  const { pathname, search } = new URL(url);
  return state && state.myVillage === pathname && !search;
}

async function page(event) {
  const { request } = event;
  const copy = await newestCopy(request.url);
  const network = fetch(request).then((response) => {
    if (storable(response) && isHtml(response)) {
      event.waitUntil(
        (async () => {
          await save(PAGES, request.url, response.clone(), MAX_PAGES);
          if (isMyVillage(request.url)) await refreshPinned(false);
        })(),
      );
    }
    return response;
  });
  if (!copy) return network;
  const slow = new Promise((resolve) => setTimeout(resolve, SLOW_NETWORK_MS));
  try {
    const response = await Promise.race([network, slow]);
    if (response) return response;
    event.waitUntil(network.catch(() => undefined));
  } catch {
    // Offline or the connection dropped: the saved copy below.
  }
  return savedCopy(copy);
}

async function asset(event) {
  const { request } = event;
  const copy = (await cached(ASSETS, request.url)) || (await cached(PINNED, request.url));
  if (copy) return copy;
  const response = await fetch(request);
  if (storable(response)) event.waitUntil(save(ASSETS, request.url, response.clone(), MAX_ASSETS));
  return response;
}

/** Styles, scripts and photos a saved page needs to display as it did. */
function subresources(html) {
  const urls = [];
  for (const [tag] of html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*>|<img\b[^>]*>|<script\b[^>]*>/g)) {
    const found = /\s(?:href|src)="([^"]+)"/.exec(tag);
    if (!found) continue;
    const url = new URL(found[1].replace(/&amp;/g, '&'), self.location.origin);
    if (url.origin === self.location.origin) urls.push(url.href);
  }
  return urls;
}

/** Fetches "my village" and what it needs into PINNED, replacing the previous copy; offline it keeps that. */
async function refreshPinned(force) {
  const { myVillage, pinnedAt } = await loadState();
  if (!myVillage || (!force && Date.now() - pinnedAt < PINNED_REFRESH_MS)) return;
  const url = new URL(myVillage, self.location.origin).href;
  try {
    const response = await fetch(url, { cache: 'no-cache' });
    if (!storable(response) || !isHtml(response)) return;
    const needed = subresources(await response.clone().text());
    await save(PINNED, url, response);
    for (const asset of needed) {
      // A copy from ASSETS passed storable() when it was saved (a cached response's type is no longer 'basic').
      const copy = await cached(ASSETS, asset);
      const part = copy || (await fetch(asset));
      if (copy || storable(part)) await save(PINNED, asset, part);
    }
    await forgetPinned(new Set([url, ...needed]));
    await saveState({ pinnedAt: Date.now() });
  } catch {
    // Offline: the copy saved before stays.
  }
}

/** Drops everything in PINNED but `keep` and the state record. */
async function forgetPinned(keep = new Set()) {
  const cache = await caches.open(PINNED);
  for (const key of await cache.keys()) {
    if (key.url !== STATE_URL && !keep.has(key.url)) await cache.delete(key);
  }
}

/** A freshly loaded page reports who is reading and which village is theirs. */
async function onPage({ signedIn, myVillage }) {
  const before = (await loadState()).myVillage;
  const village = typeof myVillage === 'string' && VILLAGE_PATH.test(myVillage) ? myVillage : null;
  await saveState({ signedIn: signedIn === true, myVillage: village });
  if (!village) await forgetPinned();
  else await refreshPinned(village !== before);
}

self.addEventListener('install', (event) => {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== PAGES && name !== ASSETS && name !== PINNED) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type === 'page') event.waitUntil(onPage(data));
  else if (data.type === 'online') event.waitUntil(refreshPinned(false));
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || PRIVATE.test(url.pathname)) return;
  const handle = request.mode === 'navigate' ? page : ASSET_KINDS.has(request.destination) ? asset : undefined;
  if (!handle) return;
  if (state && state.signedIn) return;
  event.respondWith(loadState().then((current) => (current.signedIn ? fetch(request) : handle(event))));
});
