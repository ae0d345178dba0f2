/*
 * Xiangxin service worker: keeps the public pages a person has read available offline.
 *
 * - Pages (navigations): network first; when the network fails, or is too slow while a saved
 *   copy exists, the saved copy is shown and marked with the time it was saved.
 * - Styles, images and scripts: cache first (their addresses change when their content does).
 * - "My village" is kept in its own cache with what it needs to display, and refreshed when online.
 * - The first page a visitor opens is loaded before this worker runs: the page reports it and the
 *   worker saves it then, with what it needs to display.
 * - Offline, a page never saved gets /offline (kept in the reader's language and text size) listing
 *   the pages that are saved, "my village" first.
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
// The offline page and what it needs, apart from the 40 pages so that it is never dropped.
const OFFLINE = `${PREFIX}offline-${VERSION}`;
const OFFLINE_URL = new URL('/offline', self.location.origin).href;
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

/** { signedIn, myVillage (a path or null), pinnedAt (ms), variant (language and text size of OFFLINE) }, kept in the PINNED cache across restarts. */
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
    if (storable(response) && isHtml(response) && request.url !== OFFLINE_URL) {
      event.waitUntil(
        (async () => {
          await save(PAGES, request.url, response.clone(), MAX_PAGES);
          if (isMyVillage(request.url)) await refreshPinned(false);
        })(),
      );
    }
    return response;
  });
  if (!copy) return network.catch(() => offlinePage());
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
  const copy = (await cached(ASSETS, request.url)) || (await cached(PINNED, request.url)) || (await cached(OFFLINE, request.url));
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

/**
 * Saves a page in `pageCache` and the styles, scripts and photos it needs in `partCache` (from
 * ASSETS when they are there already); answers their addresses.
 */
async function saveWithParts(pageCache, partCache, url, response) {
  const needed = subresources(await response.clone().text());
  await save(pageCache, url, response, pageCache === PAGES ? MAX_PAGES : undefined);
  for (const asset of needed) {
    // A copy from ASSETS passed storable() when it was saved (a cached response's type is no longer 'basic').
    const copy = await cached(ASSETS, asset);
    if (copy && partCache === ASSETS) continue;
    const part = copy || (await fetch(asset));
    if (copy || storable(part)) await save(partCache, asset, part, partCache === ASSETS ? MAX_ASSETS : undefined);
  }
  return needed;
}

/** A public page of this site that the worker may keep (not /admin and the like, not /offline). */
function keepable(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.origin === self.location.origin && !PRIVATE.test(parsed.pathname) && parsed.href !== OFFLINE_URL;
}

/** The page opened before this worker ran (the first visit) is saved now, as if the worker had answered it. */
async function keepFirstPage(url) {
  const address = new URL(url);
  address.hash = '';
  if (!keepable(address.href) || (await cached(PAGES, address.href))) return;
  try {
    const response = await fetch(address.href);
    if (storable(response) && isHtml(response)) await saveWithParts(PAGES, ASSETS, address.href, response);
  } catch {
    // Gone offline already: nothing to keep.
  }
}

/** Keeps /offline as the reader sees pages now (language, text size): it is shown without a network. */
async function keepOfflinePage(variant) {
  try {
    const response = await fetch(OFFLINE_URL, { cache: 'no-cache' });
    if (!storable(response) || !isHtml(response)) return;
    const cache = await caches.open(OFFLINE);
    for (const key of await cache.keys()) await cache.delete(key);
    await saveWithParts(OFFLINE, OFFLINE, OFFLINE_URL, response);
    await saveState({ variant });
  } catch {
    // Offline: the copy kept before stays.
  }
}

function escapeHtml(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The saved page's own title, without the site name after the last " · ". */
async function titleOf(response) {
  const found = /<title>([^<]*)<\/title>/i.exec(await response.clone().text());
  // The server escaped it already; it is put back into HTML as it is.
  return found ? found[1].replace(/ · [^·]*$/, '') : '';
}

/** The offline page with the saved pages listed, "my village" first, then the newest first. */
async function offlinePage() {
  const page = await cached(OFFLINE, OFFLINE_URL);
  if (!page) return Response.error();
  let html = await page.text();
  const label = (/data-my-village-label="([^"]*)"/.exec(html) || [])[1] || '';
  const { myVillage } = await loadState();
  const village = myVillage ? new URL(myVillage, self.location.origin).href : null;
  const pinned = village ? await cached(PINNED, village) : undefined;
  const entries = pinned ? [[village, pinned]] : [];
  const cache = await caches.open(PAGES);
  for (const key of (await cache.keys()).reverse()) {
    if (key.url !== village && keepable(key.url)) entries.push([key.url, await cache.match(key)]);
  }
  const items = [];
  for (const [url, response] of entries) {
    const { pathname, search } = new URL(url);
    const mark = url === village ? ` <span class="tag">${label}</span>` : '';
    items.push(`<li><a href="${escapeHtml(pathname + search)}">${(await titleOf(response)) || escapeHtml(pathname)}</a>${mark}</li>`);
  }
  if (items.length > 0) {
    html = html.replace(/<p\b[^>]*data-saved-none[^>]*>[^<]*<\/p>/, '').replace(/(<ul\b[^>]*data-saved-pages[^>]*>)/, `$1${items.join('')}`);
  }
  const headers = new Headers(page.headers);
  headers.delete(SAVED_AT);
  return new Response(html, { status: 503, headers });
}

/** Fetches "my village" and what it needs into PINNED, replacing the previous copy; offline it keeps that. */
async function refreshPinned(force) {
  const { myVillage, pinnedAt } = await loadState();
  if (!myVillage || (!force && Date.now() - pinnedAt < PINNED_REFRESH_MS)) return;
  const url = new URL(myVillage, self.location.origin).href;
  try {
    const response = await fetch(url, { cache: 'no-cache' });
    if (!storable(response) || !isHtml(response)) return;
    const needed = await saveWithParts(PINNED, PINNED, url, response);
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

/** A freshly loaded page reports who is reading, which village is theirs and how they read. */
async function onPage({ signedIn, myVillage, url, controlled, variant }) {
  const before = await loadState();
  const village = typeof myVillage === 'string' && VILLAGE_PATH.test(myVillage) ? myVillage : null;
  await saveState({ signedIn: signedIn === true, myVillage: village });
  if (!village) await forgetPinned();
  else await refreshPinned(village !== before.myVillage);
  // Signed-in pages are never kept (and the server marks them no-store).
  if (signedIn === true) return;
  if (controlled === false && typeof url === 'string') await keepFirstPage(url);
  if (typeof variant === 'string' && (variant !== before.variant || !(await cached(OFFLINE, OFFLINE_URL)))) await keepOfflinePage(variant);
}

self.addEventListener('install', (event) => {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && ![PAGES, ASSETS, PINNED, OFFLINE].includes(name)) await caches.delete(name);
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
