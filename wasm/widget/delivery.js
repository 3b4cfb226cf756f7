// SPDX-License-Identifier: MIT
// The offline-safe response queue of <cxm-survey>: persists each response under its own
// localStorage key BEFORE sending, POSTs batches, retries with backoff, and delivers at least
// once (duplicates carry the same id). No dependency on the wasm module.
//
// Storage layout (origin-wide, shared by all tabs; format version 1):
//   cxm:q:<id>   {"v":1,"created":<ms>,"record":{...}}   one key per queued response
//                (TOOLCHAIN.md: a shared array loses 4-16% of entries across tabs)
//   cxm:l:<id>   "<expiry ms>:<page>"   a lease written at pagehide for responses this page was
//                sending or beaconing: other tabs leave them alone until it expires
// Wire format: POST <endpoint>, Content-Type application/json, body {"responses":[record, ...]}
// (beacons add "via":"beacon": nobody reads their answer, so they are sent again later).
// Delivery rules: 2xx deletes the batch; 429, 5xx, network errors and timeouts keep it and
// retry after min(max, base * 2^failures) scaled by a random factor in [0.5, 1] (or
// Retry-After when longer); any other status splits a batch into single responses and drops a
// single response that is still refused (counted, reported as an error event).
//
// Several tabs: a tab sends a response only while holding the Web Lock named after its key
// (navigator.locks, origin-wide and atomic), so two live pages never send one response at the
// same time. A page keeps the locks of the responses it enqueued until they are delivered or the
// page goes away. Responses a page left behind (reload, closed tab) are taken over by whichever
// page gets the lock, which then waits leaseMs before the first send: the page that went away
// may have had a POST or a beacon in flight (its pagehide lease says so too, but storage reaches
// other processes asynchronously, and the lock may be granted first).
// Without navigator.locks a lease in storage stands in for the lock (best effort).

const ITEM_PREFIX = 'cxm:q:';
const LEASE_PREFIX = 'cxm:l:';
const FORMAT_VERSION = 1;

/** Defaults; every field can be overridden by the options of DeliveryQueue. */
export const deliveryDefaults = Object.freeze({
  batchSize: 20,            // responses per POST
  maxItems: 200,            // queue cap; the oldest response is dropped (and counted) beyond it
  ttlMs: 30 * 24 * 3600e3,  // responses older than this are dropped (and counted)
  retryBaseMs: 1000,        // first retry delay (before jitter)
  retryMaxMs: 5 * 60e3,     // longest retry delay
  timeoutMs: 15e3,          // a POST not answered by then counts as a network error
  pollMs: 30e3,             // recheck for responses left by closed tabs while some are pending
  leaseMs: 10e3,            // lease written at pagehide (covers the beacon and in-flight POSTs);
                            // also the wait before sending a response another page left behind
});

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function randomBytes(n) {
  const b = new Uint8Array(n);
  globalThis.crypto.getRandomValues(b);
  return b;
}

/** A UUID version 7 (RFC 9562): 48-bit Unix ms timestamp, then 74 random bits. */
export function uuidv7(nowMs = Date.now()) {
  const b = randomBytes(16);
  let ms = Math.max(0, Math.floor(nowMs));
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = hex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A random pseudonymous id (UUID version 4 layout). */
export function randomId() {
  const b = randomBytes(16);
  b[6] = 0x40 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = hex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** localStorage when it works (reading the property itself throws when storage is disabled). */
export function probeStorage() {
  try {
    const s = globalThis.localStorage;
    if (!s) return null;
    const k = 'cxm:probe';
    s.setItem(k, '1');
    s.removeItem(k);
    return s;
  } catch {
    return null;
  }
}

/**
 * localStorage with an in-memory fallback: a write that fails (quota exceeded, storage
 * disabled) keeps the value in memory, reports it once through onFail, and never throws.
 */
export class FallbackStore {
  #ls;
  #mem = new Map();
  #onFail;
  constructor(storage, onFail) {
    this.#ls = storage;
    this.#onFail = onFail;
  }
  get memoryOnly() { return this.#ls === null; }
  /** Returns true when the value reached durable storage, false when it is kept in memory. */
  set(key, value) {
    if (this.#ls) {
      try {
        this.#ls.setItem(key, value);
        this.#mem.delete(key);
        return true;
      } catch (e) {
        this.#onFail(e, key);
      }
    } else {
      this.#onFail(null, key);
    }
    this.#mem.set(key, value);
    return false;
  }
  get(key) {
    if (this.#mem.has(key)) return this.#mem.get(key);
    if (!this.#ls) return null;
    try {
      return this.#ls.getItem(key);
    } catch {
      return null;
    }
  }
  remove(key) {
    this.#mem.delete(key);
    if (!this.#ls) return;
    try {
      this.#ls.removeItem(key);
    } catch {
      // nothing to do: a storage that cannot remove cannot be trusted with anything else either
    }
  }
  keys(prefix) {
    const out = new Set();
    for (const k of this.#mem.keys()) if (k.startsWith(prefix)) out.add(k);
    if (this.#ls) {
      try {
        for (let i = 0; i < this.#ls.length; i++) {
          const k = this.#ls.key(i);
          if (k !== null && k.startsWith(prefix)) out.add(k);
        }
      } catch {
        // storage went away while listing: what memory holds is all there is
      }
    }
    return [...out];
  }
  isInMemory(key) { return this.#mem.has(key); }
}

/** Acquires the Web Lock `name` if nobody holds it; resolves to a release function or null. */
function tryLock(locks, name) {
  return new Promise((resolve) => {
    let release;
    const held = new Promise((r) => { release = r; });
    locks.request(name, { ifAvailable: true }, (lock) => {
      if (!lock) {
        resolve(null);
        return undefined;
      }
      resolve(release);
      return held;
    }).catch(() => resolve(null));
  });
}

function isRetryable(status) {
  return status === 429 || status === 408 || status >= 500;
}

/**
 * The queue. Events (CustomEvent, on the queue): `delivered` {ids}, `error` {code, message, ids?}
 * with code one of storage_unavailable, rejected, queue_overflow, expired.
 */
export class DeliveryQueue extends EventTarget {
  #endpoint;
  #opt;
  #store;
  #locks;
  #fetch;
  #owner = randomId();
  #held = new Map();        // key -> {release, ready}: the Web Lock this page holds or awaits
  #inFlight = new Set();    // keys in the POST under way
  #mine = new Set();        // keys this page enqueued
  #adopted = new Map();     // key -> when this page took the lock of a response another page left
  #flushing = null;
  #again = false;
  #failures = 0;
  #timer = null;
  #timerAt = 0;
  #storageReported = false;
  #closed = false;
  #hidden = false;          // after pagehide: nothing more is sent from this page
  #listeners = [];
  stats = { enqueued: 0, delivered: 0, rejected: 0, droppedOverflow: 0, expired: 0, retries: 0,
            beaconed: 0, memoryOnly: 0, posts: 0 };

  /**
   * endpoint   URL the batches are POSTed to
   * options    deliveryDefaults fields, plus storage (a Storage or null for memory only),
   *            fetch, locks (navigator.locks or null), sendBeacon, random, now (for tests)
   */
  constructor(endpoint, options = {}) {
    super();
    this.#endpoint = new URL(endpoint, globalThis.location?.href).href;
    this.#opt = { ...deliveryDefaults, ...options };
    const storage = 'storage' in options ? options.storage : probeStorage();
    this.#store = new FallbackStore(storage, (e, key) => this.#storageFailed(e, key));
    this.#locks = 'locks' in options ? options.locks : (globalThis.navigator?.locks ?? null);
    this.#fetch = options.fetch ?? ((...a) => globalThis.fetch(...a));
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
    if (storage === null) queueMicrotask(() => this.#storageFailed(null, null));
    this.#listen(globalThis, 'online', () => this.kick());
    this.#listen(globalThis, 'pagehide', () => this.#pagehide());
    this.#listen(globalThis, 'pageshow', (e) => {
      if (!e.persisted) return;
      this.#hidden = false;  // back from the back/forward cache
      this.kick();
    });
    this.#listen(globalThis.document, 'visibilitychange', () => {
      if (globalThis.document.visibilityState === 'visible') this.kick();
    });
    queueMicrotask(() => this.flush());
  }
  #random;
  #now;

  get endpoint() { return this.#endpoint; }

  #listen(target, type, fn) {
    if (!target?.addEventListener) return;
    target.addEventListener(type, fn);
    this.#listeners.push([target, type, fn]);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  #storageFailed(e, key) {
    this.stats.memoryOnly++;
    if (this.#storageReported) return;
    this.#storageReported = true;
    const why = e ? `${e.name || 'Error'}: ${e.message}` : 'localStorage is disabled';
    this.#emit('error', {
      code: 'storage_unavailable',
      message: `cxm: responses are kept in memory only (lost on reload): ${why}`,
      ids: key ? [key.slice(ITEM_PREFIX.length)] : [],
    });
  }

  /** The pending items, oldest first: [{key, id, created, record}]. Unreadable entries are removed. */
  #items() {
    const out = [];
    for (const key of this.#store.keys(ITEM_PREFIX)) {
      const text = this.#store.get(key);
      if (text === null) continue;
      let item = null;
      try {
        item = JSON.parse(text);
      } catch {
        item = null;
      }
      if (!item || item.v !== FORMAT_VERSION || typeof item.record !== 'object' || item.record === null) {
        // Not ours or from an unknown version: leave unknown versions to the code that wrote them.
        if (item && item.v !== FORMAT_VERSION) continue;
        this.#store.remove(key);
        continue;
      }
      out.push({ key, id: key.slice(ITEM_PREFIX.length), created: Number(item.created) || 0, record: item.record });
    }
    out.sort((a, b) => a.created - b.created);
    return out;
  }

  /** Number of responses waiting (all tabs). */
  size() { return this.#items().length; }
  /** Ids of the responses waiting (all tabs), oldest first. */
  pendingIds() { return this.#items().map((i) => i.id); }

  /**
   * Persists `record` (which must carry a string `id`) and schedules sending. Idempotent: a
   * record whose id is already queued is not stored twice. Never throws for storage problems.
   * Returns {id, queued: bool (false when already there), durable: bool}.
   */
  enqueue(record) {
    if (!record || typeof record.id !== 'string' || record.id.length === 0 || record.id.length > 128)
      throw new TypeError('cxm: a queued response needs a string id of 1-128 characters');
    const key = ITEM_PREFIX + record.id;
    if (this.#store.get(key) !== null) return { id: record.id, queued: false, durable: !this.#store.isInMemory(key) };
    // Cap with drop-oldest, so a page offline for long keeps the newest answers.
    const items = this.#items();
    const dropped = [];
    for (let i = 0; items.length - i >= this.#opt.maxItems && i < items.length; i++) {
      this.#forget(items[i].key);
      dropped.push(items[i].id);
    }
    if (dropped.length) {
      this.stats.droppedOverflow += dropped.length;
      this.#emit('error', { code: 'queue_overflow', message: `cxm: queue full (${this.#opt.maxItems}); dropped the oldest ${dropped.length}`, ids: dropped });
    }
    const text = JSON.stringify({ v: FORMAT_VERSION, created: this.#now(), record });
    const durable = this.#store.set(key, text);
    this.stats.enqueued++;
    this.#mine.add(key);
    // This page will send it: take its lock now, so other tabs leave it to us while we live.
    this.#own(key);
    this.kick();
    return { id: record.id, queued: true, durable };
  }

  /** Takes (or waits for) the Web Lock of `key`; resolves true when this page holds it. */
  #own(key) {
    const cur = this.#held.get(key);
    if (cur) return cur.ready;
    const entry = { release: null, ready: null };
    this.#held.set(key, entry);
    if (!this.#locks) {
      // No Web Locks: a lease in storage, written then read back (best effort across tabs).
      const id = key.slice(ITEM_PREFIX.length);
      const ok = !this.#leased(id);
      if (ok) this.#store.set(LEASE_PREFIX + id, `${this.#now() + 2 * this.#opt.timeoutMs}:${this.#owner}`);
      entry.release = ok ? () => {} : null;
      entry.ready = Promise.resolve(ok && !this.#leased(id));
      if (!ok) this.#held.delete(key);
      return entry.ready;
    }
    entry.ready = tryLock(this.#locks, key).then((release) => {
      if (release && !this.#closed && this.#held.get(key) === entry) {
        entry.release = release;
        return true;
      }
      if (this.#held.get(key) === entry) this.#held.delete(key);
      if (release) release();
      return false;
    });
    return entry.ready;
  }

  #forget(key) {
    this.#mine.delete(key);
    this.#adopted.delete(key);
    this.#store.remove(key);
    this.#store.remove(LEASE_PREFIX + key.slice(ITEM_PREFIX.length));
    const entry = this.#held.get(key);
    this.#held.delete(key);
    if (entry?.release) entry.release();
  }

  /** Expiry of a live lease another page wrote on `id`, or 0. */
  #leased(id) {
    const text = this.#store.get(LEASE_PREFIX + id);
    if (text === null) return 0;
    const [untilText, owner] = text.split(':');
    const until = Number(untilText);
    if (!(until > this.#now())) {
      this.#store.remove(LEASE_PREFIX + id);
      return 0;
    }
    return owner === this.#owner ? 0 : until;
  }

  /** Flush now, forgetting the current backoff (online again, page visible again). */
  kick() {
    this.#failures = 0;
    this.#schedule(0);
  }

  #schedule(delayMs) {
    if (this.#closed || this.#hidden) return;
    const at = this.#now() + delayMs;
    if (this.#timer !== null) {
      if (this.#timerAt <= at) return;
      clearTimeout(this.#timer);
    }
    this.#timerAt = at;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.flush();
    }, delayMs);
  }

  /** Sends what can be sent now. Resolves when this round is over. */
  flush() {
    if (this.#closed) return Promise.resolve();
    if (this.#flushing) {
      this.#again = true;
      return this.#flushing;
    }
    this.#flushing = (async () => {
      try {
        do {
          this.#again = false;
          await this.#flushOnce();
        } while (this.#again && !this.#closed);
      } finally {
        this.#flushing = null;
      }
    })();
    return this.#flushing;
  }

  #backoff(retryAfterMs = 0) {
    this.#failures++;
    this.stats.retries++;
    const exp = Math.min(this.#opt.retryMaxMs, this.#opt.retryBaseMs * 2 ** Math.min(this.#failures - 1, 30));
    const delay = Math.min(this.#opt.retryMaxMs, Math.max(exp * (0.5 + 0.5 * this.#random()), retryAfterMs));
    this.#schedule(delay);
  }

  async #flushOnce() {
    if (globalThis.navigator && globalThis.navigator.onLine === false) return;  // 'online' kicks us
    const now = this.#now();
    let waiting = 0;       // items another tab holds or leases
    let leaseEnd = Infinity;
    const ready = [];
    for (const item of this.#items()) {
      if (now - item.created > this.#opt.ttlMs) {
        if (await this.#take(item.key)) {
          this.#forget(item.key);
          this.stats.expired++;
          this.#emit('error', { code: 'expired', message: `cxm: response ${item.id} expired before delivery`, ids: [item.id] });
        }
        continue;
      }
      const until = this.#leased(item.id);
      if (until) {
        waiting++;
        leaseEnd = Math.min(leaseEnd, until);
        continue;
      }
      if (!(await this.#take(item.key))) {
        waiting++;
        continue;
      }
      // Re-read under the lock: another tab may have delivered it since we listed it.
      if (this.#store.get(item.key) === null) {
        this.#forget(item.key);
        continue;
      }
      // A response another page left behind (a reload, a closed tab): that page may have had a
      // POST or a beacon in flight when it went away, and its lease may not have reached this
      // page's copy of the storage yet. Hold the lock for leaseMs before the first send.
      const since = this.#mine.has(item.key) ? -Infinity : (this.#adopted.get(item.key) ?? now);
      if (!this.#mine.has(item.key)) this.#adopted.set(item.key, since);
      const later = Math.max(since + this.#opt.leaseMs, this.#leased(item.id));
      if (later > now) {
        waiting++;
        leaseEnd = Math.min(leaseEnd, later);
        continue;
      }
      ready.push(item);
    }
    for (let i = 0; i < ready.length && !this.#closed;) {
      const batch = ready.slice(i, i + this.#opt.batchSize);
      const outcome = await this.#send(batch);
      if (outcome === 'retry') {
        return;  // #send scheduled the retry; the locks stay with us
      }
      if (outcome === 'split' && batch.length > 1) {
        for (const one of batch) {
          if ((await this.#send([one])) === 'retry') return;
        }
      }
      i += batch.length;
    }
    if (waiting > 0) {
      const until = leaseEnd === Infinity ? this.#opt.pollMs : Math.max(10, Math.min(this.#opt.pollMs, leaseEnd - this.#now() + 10));
      this.#schedule(until);
    }
  }

  /** True when this page holds (or just took) the lock of `key`. */
  #take(key) {
    return this.#own(key);
  }

  /** POSTs a batch. Returns 'ok', 'retry' (backoff scheduled) or 'split' (a non-retryable refusal). */
  async #send(batch) {
    // After pagehide a flush that was under way (its continuation runs as a microtask right
    // after the event) must not send what the beacon just sent.
    if (this.#hidden) return 'retry';
    const body = JSON.stringify({ responses: batch.map((i) => i.record) });
    for (const i of batch) this.#inFlight.add(i.key);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.#opt.timeoutMs);
    let status = 0;
    let retryAfterMs = 0;
    try {
      this.stats.posts++;
      const res = await this.#fetch(this.#endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
        credentials: 'same-origin',
        signal: abort.signal,
      });
      status = res.status;
      const ra = Number(res.headers?.get?.('Retry-After'));
      if (ra > 0) retryAfterMs = ra * 1000;
    } catch {
      status = 0;  // network error, offline, timeout
    } finally {
      clearTimeout(timer);
      for (const i of batch) this.#inFlight.delete(i.key);
    }
    if (status >= 200 && status < 300) {
      for (const i of batch) this.#forget(i.key);
      this.stats.delivered += batch.length;
      this.#failures = 0;
      this.#emit('delivered', { ids: batch.map((i) => i.id) });
      return 'ok';
    }
    if (status === 0 || isRetryable(status)) {
      this.#backoff(retryAfterMs);
      return 'retry';
    }
    if (batch.length > 1) return 'split';
    const [one] = batch;
    this.#forget(one.key);
    this.stats.rejected++;
    this.#emit('error', { code: 'rejected', status, message: `cxm: the endpoint refused response ${one.id} with HTTP ${status}; dropped`, ids: [one.id] });
    return 'ok';
  }

  /**
   * pagehide: lease what this page is sending so other tabs wait for it, and hand the rest of
   * this page's responses to navigator.sendBeacon. They stay queued (a beacon has no answer):
   * a later page sends them again with the same id unless the collector saw them first.
   */
  #pagehide() {
    this.#hidden = true;
    const until = String(this.#now() + this.#opt.leaseMs);
    const beacon = [];
    for (const [key, entry] of this.#held) {
      if (!entry.release) continue;
      const text = this.#store.get(key);
      if (text === null) continue;
      const id = key.slice(ITEM_PREFIX.length);
      this.#store.set(LEASE_PREFIX + id, `${until}:${this.#owner}`);
      if (this.#inFlight.has(key)) continue;
      try {
        beacon.push(JSON.parse(text).record);
      } catch {
        // unreadable: it is dropped by the next flush
      }
    }
    const send = globalThis.navigator?.sendBeacon?.bind(globalThis.navigator);
    if (!send || beacon.length === 0) return;
    for (let i = 0; i < beacon.length; i += this.#opt.batchSize) {
      const part = beacon.slice(i, i + this.#opt.batchSize);
      const blob = new Blob([JSON.stringify({ responses: part, via: 'beacon' })], { type: 'application/json' });
      try {
        if (send(this.#endpoint, blob)) this.stats.beaconed += part.length;
      } catch {
        // a beacon refused synchronously (too large): the next page sends these
      }
    }
  }

  /** Stops timers and listeners and releases the locks (tests; pages just go away). */
  close() {
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    for (const [t, type, fn] of this.#listeners) t.removeEventListener(type, fn);
    this.#listeners = [];
    for (const entry of this.#held.values()) if (entry.release) entry.release();
    this.#held.clear();
  }
}
