// @ts-check
/**
 * Deterministic, seeded generator of realistic clickstreams, streamed as CSV lines.
 *
 * `generateClickstream` yields the header and then one line per event, so a caller can
 * write ten million events to a file without holding them in memory. The output depends on
 * the options alone: the same seed gives the same bytes (in Node; the random numbers come
 * from the sfc32 generator below, never from Math.random).
 *
 * The model:
 * - Users: each human user gets an event budget from a heavy-tailed (Lomax / Pareto II)
 *   weight, so a few users are very active and most have a handful of events in 1 to 3
 *   sessions. The budgets add up to exactly `events`.
 * - Sessions: a budget is cut into sessions of varying length (a quarter are single-page
 *   bounces, the rest log-normal around 5 events). Within a session the gaps are seconds to a
 *   few minutes (log-normal, with an occasional equal timestamp); between sessions they are
 *   hours to days: session starts are spread over the whole period as sorted uniform draws,
 *   warped through a daily rhythm (quiet at night UTC, busy in the afternoon, quieter at the
 *   weekend), and always at least 40 minutes after the previous session ended.
 * - Pages: a walk over a small shop (home, categories, products with Zipf popularity,
 *   search, cart, checkout, blog, account), entered through a page that suits the referrer.
 * - `referrer` holds a utm_source on some sessions' first event (and rarely mid-session);
 *   it is empty on most rows. `device` is mobile, desktop or tablet, mostly fixed per user.
 * - Bots: a few users (about one per thousand) are bots: a crawler, an uptime monitor or a
 *   scraper, hitting the site at a fixed period (15 s to 5 min, tiny jitter) around the clock.
 *   Together they make about 8% of the events.
 * - `outOfOrder`: that fraction of rows reaches the log late, as when logs of several
 *   servers are merged: each such row is written after the rows of the next 1 s to 5 min
 *   (log-uniform delay, never more than MAX_LATE_MS). The other rows stay in time order.
 */

/** @typedef {'iso' | 'dmy' | 'mdy' | 'clf' | 'epoch-s' | 'epoch-ms' | 'epoch-us'} TimestampFormat */

/**
 * @typedef {object} ClickstreamOptions
 * @property {number | string} seed Determines every random choice.
 * @property {number} events Exact number of event rows (after the header).
 * @property {number} [users] Distinct users, bots included; default `round(events / 13)`. At most `events`.
 * @property {number} [bots] How many of the users are bots; default `round(users / 1000)` (at least 1 from 20 users on).
 * @property {number} [outOfOrder] Fraction (0 to 1) of rows written late; default 0.
 * @property {TimestampFormat} [format] How timestamps are written; default `iso` (2024-05-01T10:00:00.123Z).
 * @property {string} [start] First instant of the period (ISO 8601); default 2024-05-01T00:00:00.000Z.
 * @property {number} [days] Length of the period in days; default 28. Late sessions may run a little past it.
 * @property {boolean} [header] Yield the header line first; default true.
 */

export const COLUMNS = Object.freeze(['user_id', 'timestamp', 'url', 'referrer', 'device']);

/** @type {readonly TimestampFormat[]} */
export const TIMESTAMP_FORMATS = Object.freeze(['iso', 'dmy', 'mdy', 'clf', 'epoch-s', 'epoch-ms', 'epoch-us']);

/** The longest delay of a late (out-of-order) row, in milliseconds. */
export const MAX_LATE_MS = 5 * 60_000;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const BOT_SHARE = 0.08;
const DEFAULT_START = '2024-05-01T00:00:00.000Z';
const DEFAULT_DAYS = 28;

// ---------------------------------------------------------------------------------------
// Seeded random numbers
// ---------------------------------------------------------------------------------------

/**
 * MurmurHash3's 32-bit finalizer: a bijective mix of a 32-bit integer.
 * @param {number} h
 * @returns {number}
 */
function fmix32(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A 32-bit seed from a number or a string. Integers map to distinct seeds for every value
 * within 32 bits; strings are hashed (FNV-1a, then mixed). `42` and `'42'` differ.
 * @param {number | string} seed
 * @returns {number}
 */
export function hashSeed(seed) {
  if (typeof seed === 'number' && Number.isSafeInteger(seed)) {
    const high = Math.floor(seed / 4294967296) >>> 0;
    return fmix32((seed >>> 0) ^ fmix32((high + 0x9e3779b9) >>> 0));
  }
  const text = `s:${String(seed)}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return fmix32(h >>> 0);
}

/**
 * A seed for an independent stream, derived from a base seed and some integers
 * (for instance a purpose and a user index).
 * @param {number} base
 * @param {...number} parts
 * @returns {number}
 */
export function deriveSeed(base, ...parts) {
  let h = base >>> 0;
  for (const part of parts) h = fmix32((h + 0x9e3779b9 + Math.imul(part >>> 0, 0xcc9e2d51)) >>> 0);
  return h;
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counter), seeded through a SplitMix-style sequence. */
export class Rng {
  /** @param {number} seed any 32-bit integer; see hashSeed and deriveSeed */
  constructor(seed) {
    let s = seed >>> 0;
    const split = () => {
      s = (s + 0x9e3779b9) >>> 0;
      return fmix32(s);
    };
    /** @private */ this.a = split();
    /** @private */ this.b = split();
    /** @private */ this.c = split();
    /** @private */ this.d = 1;
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** @returns {number} a uniform integer in [0, 2^32) */
  uint32() {
    this.d = (this.d + 1) | 0;
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (((this.c << 21) | (this.c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** @returns {number} a uniform number in [0, 1) */
  next() {
    return this.uint32() / 4294967296;
  }

  /**
   * @param {number} n
   * @returns {number} a uniform integer in [0, n)
   */
  int(n) {
    return Math.floor(this.next() * n);
  }

  /** @returns {number} a standard normal draw (Box-Muller) */
  normal() {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /**
   * @param {number} median
   * @param {number} sigma
   * @returns {number} a log-normal draw with that median
   */
  logNormal(median, sigma) {
    return median * Math.exp(sigma * this.normal());
  }

  /**
   * @param {number} mean
   * @returns {number} an exponential draw with that mean
   */
  exponential(mean) {
    return -mean * Math.log(1 - this.next());
  }

  /**
   * @template T
   * @param {readonly T[]} items non-empty
   * @returns {T}
   */
  pick(items) {
    return /** @type {T} */ (items[this.int(items.length)]);
  }
}

/**
 * Draws from a fixed discrete distribution.
 * @template T
 */
class Weighted {
  /** @param {readonly (readonly [T, number])[]} entries value and weight */
  constructor(entries) {
    /** @private */ this.values = entries.map((e) => e[0]);
    /** @private */ this.cumulative = new Float64Array(entries.length);
    let sum = 0;
    entries.forEach((e, i) => {
      sum += e[1];
      this.cumulative[i] = sum;
    });
  }

  /**
   * @param {Rng} rng
   * @returns {T}
   */
  draw(rng) {
    const cum = this.cumulative;
    const x = rng.next() * /** @type {number} */ (cum[cum.length - 1]);
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (/** @type {number} */ (cum[mid]) > x) hi = mid;
      else lo = mid + 1;
    }
    return /** @type {T} */ (this.values[lo]);
  }
}

/**
 * A binary min-heap.
 * @template T
 */
class MinHeap {
  /** @param {(a: T, b: T) => boolean} less */
  constructor(less) {
    /** @private */ this.less = less;
    /** @private @type {T[]} */ this.items = [];
  }

  get size() {
    return this.items.length;
  }

  /** @returns {T | undefined} */
  peek() {
    return this.items[0];
  }

  /** @param {T} item */
  push(item) {
    const items = this.items;
    let i = items.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = /** @type {T} */ (items[parent]);
      if (!this.less(item, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  /** @returns {T | undefined} */
  pop() {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) this.siftDown(last);
    return top;
  }

  /** Re-places the top item after its key grew. */
  fixTop() {
    const top = this.items[0];
    if (top !== undefined) this.siftDown(top);
  }

  /**
   * @private
   * @param {T} item placed at the root, then moved down
   */
  siftDown(item) {
    const items = this.items;
    const n = items.length;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && this.less(/** @type {T} */ (items[right]), /** @type {T} */ (items[child]))) child = right;
      const c = /** @type {T} */ (items[child]);
      if (!this.less(c, item)) break;
      items[i] = c;
      i = child;
    }
    items[i] = item;
  }
}

// ---------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * @param {number} n
 * @param {number} width
 */
const pad = (n, width) => String(n).padStart(width, '0');

/**
 * Writes an instant (epoch milliseconds, UTC) in one of the formats the app reads.
 * `clf` and `epoch-s` drop the milliseconds.
 * @param {number} ms
 * @param {TimestampFormat} format
 * @returns {string}
 */
export function formatTimestamp(ms, format) {
  switch (format) {
    case 'iso':
      return new Date(ms).toISOString();
    case 'epoch-ms':
      return String(ms);
    case 'epoch-s':
      return String(Math.floor(ms / SECOND));
    case 'epoch-us':
      return String(ms * 1000);
    default: {
      const d = new Date(ms);
      const day = pad(d.getUTCDate(), 2);
      const month = d.getUTCMonth();
      const year = pad(d.getUTCFullYear(), 4);
      const clock = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
      const millis = pad(d.getUTCMilliseconds(), 3);
      if (format === 'dmy') return `${day}/${pad(month + 1, 2)}/${year} ${clock}.${millis}`;
      if (format === 'mdy') return `${pad(month + 1, 2)}/${day}/${year} ${clock}.${millis}`;
      return `${day}/${MONTHS[month]}/${year}:${clock} +0000`;
    }
  }
}

/**
 * Relative traffic at an instant: a daily rhythm in UTC (trough around 04:00, broad peak in
 * the afternoon, a small evening bump) and a quieter weekend.
 * @param {number} ms
 * @returns {number}
 */
function activity(ms) {
  const hour = (((ms % DAY) + DAY) % DAY) / HOUR;
  const weekday = (((Math.floor(ms / DAY) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  const daylight = 0.5 - 0.5 * Math.cos((2 * Math.PI * (hour - 4)) / 24);
  const evening = 0.25 * Math.exp(-((hour - 20.5) ** 2) / 2);
  return (0.08 + daylight ** 1.5 + evening) * (weekday === 0 || weekday === 6 ? 0.8 : 1);
}

/** Maps [0, 1] onto the period so that uniform draws land with the daily rhythm's density. */
class Rhythm {
  /**
   * @param {number} startMs
   * @param {number} spanMs
   */
  constructor(startMs, spanMs) {
    const binMs = 15 * MINUTE;
    const bins = Math.max(1, Math.ceil(spanMs / binMs));
    /** @private */ this.binMs = binMs;
    /** @private */ this.spanMs = spanMs;
    /** @private */ this.cumulative = new Float64Array(bins + 1);
    for (let i = 0; i < bins; i++) {
      this.cumulative[i + 1] = /** @type {number} */ (this.cumulative[i]) + activity(startMs + (i + 0.5) * binMs);
    }
  }

  /**
   * @param {number} u in [0, 1]; a larger u never maps earlier
   * @returns {number} milliseconds after the start of the period
   */
  offset(u) {
    const cum = this.cumulative;
    const target = u * /** @type {number} */ (cum[cum.length - 1]);
    let lo = 0;
    let hi = cum.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (/** @type {number} */ (cum[mid]) <= target) lo = mid;
      else hi = mid - 1;
    }
    const from = /** @type {number} */ (cum[lo]);
    const width = /** @type {number} */ (cum[lo + 1]) - from;
    const frac = width > 0 ? Math.min(1, (target - from) / width) : 0;
    return Math.min(this.spanMs, (lo + frac) * this.binMs);
  }
}

/**
 * The smallest of `remaining` uniform draws on [previous, 1]: drawn one after another, these
 * are the sorted order statistics of `remaining` uniforms, without storing them.
 * @param {Rng} rng
 * @param {number} previous
 * @param {number} remaining
 */
function nextOrderStatistic(rng, previous, remaining) {
  return previous + (1 - previous) * (1 - (1 - rng.next()) ** (1 / remaining));
}

// ---------------------------------------------------------------------------------------
// The site
// ---------------------------------------------------------------------------------------

const HOME = 0;
const CATEGORY = 1;
const PRODUCT = 2;
const SEARCH = 3;
const CART = 4;
const CHECKOUT = 5;
const COMPLETE = 6;
const BLOG = 7;
const ACCOUNT = 8;

/** @typedef {number} Page one of the page kinds above */

const FIRST_PRODUCT = 1001;
const PRODUCTS = 480;
const CATEGORIES = ['shoes', 'outerwear', 'electronics', 'home-kitchen', 'outdoor', 'kids', 'accessories', 'sale'];
const SEARCHES = [
  'running shoes',
  'rain jacket',
  'wireless earbuds',
  'yoga mat',
  'coffee grinder',
  'backpack',
  'usb c charger',
  'winter boots',
  'water bottle',
  'desk lamp',
  'gift card',
  'hiking socks',
  'phone case',
  'standing desk',
  'sunglasses',
  'kids raincoat',
  'air fryer',
  'trail shoes',
  'sleeping bag',
  'bluetooth speaker',
  'linen shirt',
  'sale',
  'returns',
  'size guide',
];
const BLOG_POSTS = [
  'how-to-choose-running-shoes',
  'spring-hiking-checklist',
  'caring-for-leather-boots',
  'best-gifts-under-50',
  'packing-light-for-a-weekend',
  'coffee-brewing-basics',
  'home-office-setup',
  'rain-gear-buyers-guide',
  'sustainable-materials',
  'behind-the-scenes-warehouse',
  'summer-sale-preview',
  'trail-running-for-beginners',
  'sleep-better-outdoors',
  'minimalist-wardrobe',
  'kids-outdoor-games',
  'product-care-faq',
];

/**
 * Zipf-like popularity over a list, the most popular first in a fixed shuffled order.
 * @template T
 * @param {readonly T[]} items
 * @param {number} exponent
 * @returns {Weighted<T>}
 */
function zipf(items, exponent) {
  const order = [...items];
  const shuffle = new Rng(0x5eed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = shuffle.int(i + 1);
    [order[i], order[j]] = [/** @type {T} */ (order[j]), /** @type {T} */ (order[i])];
  }
  return new Weighted(order.map((item, rank) => /** @type {const} */ ([item, 1 / (rank + 1) ** exponent])));
}

const productIds = Array.from({ length: PRODUCTS }, (_, i) => FIRST_PRODUCT + i);
const productPick = zipf(productIds, 1.05);
const categoryPick = zipf(CATEGORIES, 0.8);
const searchPick = zipf(SEARCHES, 1);
const blogPick = zipf(BLOG_POSTS, 0.9);

/** @type {Record<number, Weighted<Page>>} */
const NEXT_PAGE = {
  [HOME]: new Weighted([
    [PRODUCT, 35],
    [CATEGORY, 25],
    [SEARCH, 20],
    [BLOG, 8],
    [ACCOUNT, 5],
    [CART, 4],
    [HOME, 3],
  ]),
  [CATEGORY]: new Weighted([
    [PRODUCT, 55],
    [CATEGORY, 15],
    [SEARCH, 10],
    [HOME, 10],
    [CART, 5],
    [BLOG, 5],
  ]),
  [PRODUCT]: new Weighted([
    [PRODUCT, 46],
    [CART, 14],
    [CATEGORY, 14],
    [SEARCH, 14],
    [HOME, 8],
    [BLOG, 4],
  ]),
  [SEARCH]: new Weighted([
    [PRODUCT, 60],
    [SEARCH, 25],
    [CATEGORY, 8],
    [HOME, 7],
  ]),
  [CART]: new Weighted([
    [CHECKOUT, 45],
    [PRODUCT, 25],
    [HOME, 10],
    [CART, 10],
    [SEARCH, 10],
  ]),
  [CHECKOUT]: new Weighted([
    [COMPLETE, 55],
    [CART, 30],
    [CHECKOUT, 15],
  ]),
  [COMPLETE]: new Weighted([
    [HOME, 60],
    [PRODUCT, 25],
    [ACCOUNT, 15],
  ]),
  [BLOG]: new Weighted([
    [BLOG, 35],
    [PRODUCT, 30],
    [HOME, 25],
    [SEARCH, 10],
  ]),
  [ACCOUNT]: new Weighted([
    [HOME, 40],
    [PRODUCT, 20],
    [CART, 20],
    [ACCOUNT, 20],
  ]),
};
const DIRECT_ENTRY = new Weighted([
  [HOME, 55],
  [PRODUCT, 15],
  [CATEGORY, 10],
  [BLOG, 5],
  [SEARCH, 5],
  [CART, 5],
  [ACCOUNT, 5],
]);
const CAMPAIGN_ENTRY = new Weighted([
  [PRODUCT, 50],
  [BLOG, 22],
  [CATEGORY, 16],
  [HOME, 12],
]);
const REFERRERS = new Weighted([
  ['', 64],
  ['google', 14],
  ['facebook', 5],
  ['newsletter', 5],
  ['instagram', 4],
  ['bing', 3],
  ['tiktok', 2],
  ['twitter', 1],
  ['affiliate', 1],
  ['partner_blog', 1],
]);
const DEVICES = new Weighted([
  ['mobile', 56],
  ['desktop', 36],
  ['tablet', 8],
]);

/**
 * @param {Page} page
 * @param {Rng} rng
 * @returns {string}
 */
function urlOf(page, rng) {
  switch (page) {
    case HOME:
      return '/';
    case CATEGORY:
      return `/category/${categoryPick.draw(rng)}`;
    case PRODUCT:
      return `/products/${productPick.draw(rng)}`;
    case SEARCH:
      return `/search?q=${searchPick.draw(rng).replaceAll(' ', '+')}`;
    case CART:
      return '/cart';
    case CHECKOUT:
      return '/checkout';
    case COMPLETE:
      return '/checkout/complete';
    case BLOG:
      return `/blog/${blogPick.draw(rng)}`;
    default:
      return '/account';
  }
}

/** What a crawler walks through, in order, again and again. */
const CRAWL = [
  '/robots.txt',
  '/sitemap.xml',
  '/',
  ...CATEGORIES.map((c) => `/category/${c}`),
  ...productIds.map((id) => `/products/${id}`),
  ...BLOG_POSTS.map((s) => `/blog/${s}`),
];

// ---------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------

/** Independent random streams: each purpose (and each user) draws from its own. */
const STREAM = Object.freeze({ setup: 1, lengths: 2, starts: 3, pages: 4, bot: 5, late: 6 });

/**
 * Events in one session: a quarter are single-page bounces.
 * @param {Rng} rng
 */
function sessionLength(rng) {
  if (rng.next() < 0.25) return 1;
  return Math.min(150, 1 + Math.round(rng.logNormal(4, 0.85)));
}

/**
 * Milliseconds to the next event of the same session.
 * @param {Rng} rng
 */
function gapWithinSession(rng) {
  const r = rng.next();
  if (r < 0.004) return 0; // logged twice in the same millisecond
  const gap = r < 0.93 ? rng.logNormal(18 * SECOND, 1) : rng.logNormal(150 * SECOND, 0.9);
  return Math.round(Math.min(25 * MINUTE, Math.max(250, gap)));
}

/**
 * Splits `total` into whole parts proportional to `weights` (cumulative rounding: exact sum).
 * @param {number} total
 * @param {Float64Array} weights
 * @returns {Uint32Array}
 */
function apportion(total, weights) {
  const parts = new Uint32Array(weights.length);
  let sum = 0;
  for (const w of weights) sum += w;
  let acc = 0;
  let given = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += /** @type {number} */ (weights[i]);
    const upTo = i === weights.length - 1 ? total : Math.min(total, Math.floor((acc / sum) * total));
    parts[i] = upTo - given;
    given = upTo;
  }
  return parts;
}

/**
 * @typedef {object} World
 * @property {number} base the hashed seed
 * @property {number} startMs
 * @property {number} spanMs
 * @property {Rhythm} rhythm
 * @property {number} users
 */

/**
 * The id of user number `index` (0-based) among `users`: `u00001`, `u00002`, ...
 * @param {number} index
 * @param {number} users
 * @returns {string}
 */
export const userId = (index, users) => `u${pad(index + 1, Math.max(5, String(users).length))}`;

/** A human user, replayed session by session from their own random streams. */
class Human {
  /**
   * @param {World} world
   * @param {number} index
   * @param {number} budget events in all
   */
  constructor(world, index, budget) {
    this.world = world;
    this.index = index;
    this.id = userId(index, world.users);
    this.eventsLeft = budget;
    /** @private */ this.lengths = new Rng(deriveSeed(world.base, STREAM.lengths, index));
    /** @private */ this.starts = new Rng(deriveSeed(world.base, STREAM.starts, index));
    /** @private */ this.rng = new Rng(deriveSeed(world.base, STREAM.pages, index));
    let sessions = 0;
    const counter = new Rng(deriveSeed(world.base, STREAM.lengths, index));
    for (let sum = 0; sum < budget; sessions++) sum += sessionLength(counter);
    /** Sessions not started yet. */
    this.sessionsLeft = sessions;
    /** @private */ this.u = nextOrderStatistic(this.starts, 0, sessions);
    /** Time of the next event (epoch ms). */
    this.t = Math.round(world.startMs + world.rhythm.offset(this.u));
    /** @private */ this.primaryDevice = DEVICES.draw(this.rng);
    /** @private */ this.device = this.primaryDevice;
    /** @private */ this.inSession = 0;
    /** @private @type {Page} */ this.page = HOME;
    /** @private */ this.referrer = '';
    this.startSession();
  }

  /** @private */
  startSession() {
    this.sessionsLeft--;
    this.inSession = Math.min(sessionLength(this.lengths), this.eventsLeft);
    const rng = this.rng;
    this.device = rng.next() < 0.1 ? DEVICES.draw(rng) : this.primaryDevice;
    this.referrer = REFERRERS.draw(rng);
    this.page = (this.referrer === '' ? DIRECT_ENTRY : CAMPAIGN_ENTRY).draw(rng);
  }

  /**
   * The current event's fields after the user id and timestamp; then moves to the next event.
   * @returns {string}
   */
  take() {
    const rng = this.rng;
    const fields = `${urlOf(this.page, rng)},${this.referrer},${this.device}`;
    this.eventsLeft--;
    this.inSession--;
    if (this.eventsLeft === 0) return fields;
    if (this.inSession > 0) {
      this.t += gapWithinSession(rng);
      this.page = /** @type {Weighted<Page>} */ (NEXT_PAGE[this.page]).draw(rng);
      // Now and then a click on a campaign link in the middle of a visit.
      this.referrer = rng.next() < 0.01 ? REFERRERS.draw(rng) : '';
    } else {
      this.u = nextOrderStatistic(this.starts, this.u, this.sessionsLeft);
      const planned = this.world.startMs + this.world.rhythm.offset(this.u);
      const earliest = this.t + 40 * MINUTE + rng.exponential(45 * MINUTE);
      this.t = Math.round(Math.max(planned, earliest));
      this.startSession();
    }
    return fields;
  }

  get done() {
    return this.eventsLeft === 0;
  }
}

/** A bot: one fixed period, tiny jitter, no sessions, no daily rhythm. */
class Bot {
  /**
   * @param {World} world
   * @param {number} index
   * @param {number} budget
   */
  constructor(world, index, budget) {
    this.index = index;
    this.id = userId(index, world.users);
    this.eventsLeft = budget;
    /** @private */ this.rng = new Rng(deriveSeed(world.base, STREAM.bot, index));
    const rng = this.rng;
    /** @private */ this.kind = rng.pick(/** @type {const} */ (['crawler', 'monitor', 'scraper']));
    let period = rng.pick([15, 30, 60, 120, 300]) * SECOND;
    if (budget * period > world.spanMs) period = world.spanMs / budget;
    /** @private */ this.period = period;
    /** @private */ this.jitter = this.kind === 'monitor' ? 0.002 : 0.02;
    /** @private */ this.origin = world.startMs + rng.next() * (world.spanMs - budget * period);
    /** @private */ this.count = 0;
    /** @private */ this.cursor = rng.int(CRAWL.length);
    this.t = this.timeOf(0);
  }

  /**
   * @private
   * @param {number} n
   */
  timeOf(n) {
    return Math.round(this.origin + (n + (this.rng.next() - 0.5) * this.jitter) * this.period);
  }

  /** @returns {string} see Human.take */
  take() {
    let url;
    if (this.kind === 'monitor') url = '/';
    else if (this.kind === 'crawler') url = /** @type {string} */ (CRAWL[this.cursor++ % CRAWL.length]);
    else url = `/products/${FIRST_PRODUCT + (this.cursor++ % PRODUCTS)}`;
    this.eventsLeft--;
    this.count++;
    if (this.eventsLeft > 0) this.t = this.timeOf(this.count);
    return `${url},,${this.kind === 'crawler' ? 'bot' : 'desktop'}`;
  }

  get done() {
    return this.eventsLeft === 0;
  }
}

/**
 * @param {unknown} value
 * @param {string} name
 * @param {number} min
 * @param {number} max
 */
function checkInteger(value, name, min, max) {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}, not ${String(value)}`);
  }
}

/**
 * Yields the CSV header (`user_id,timestamp,url,referrer,device`) and then exactly `events`
 * event lines, without line terminators. No field contains a comma or a quote. Lines are made
 * as they are asked for; the options are checked at once (RangeError).
 * @param {ClickstreamOptions} options
 * @returns {Generator<string, void, undefined>}
 */
export function generateClickstream(options) {
  const { seed, events, outOfOrder = 0, format = 'iso', header = true } = options;
  checkInteger(events, 'events', 0, Number.MAX_SAFE_INTEGER);
  const users = options.users ?? Math.max(1, Math.min(events, Math.round(events / 13)));
  checkInteger(users, 'users', 1, Math.max(1, events));
  const bots = options.bots ?? (users >= 20 ? Math.max(1, Math.round(users / 1000)) : 0);
  checkInteger(bots, 'bots', 0, users);
  if (!(outOfOrder >= 0 && outOfOrder <= 1)) throw new RangeError(`outOfOrder must be from 0 to 1, not ${outOfOrder}`);
  if (!TIMESTAMP_FORMATS.includes(format)) throw new RangeError(`format must be one of ${TIMESTAMP_FORMATS.join(', ')}`);
  const startMs = Date.parse(options.start ?? DEFAULT_START);
  if (Number.isNaN(startMs)) throw new RangeError(`start is not an ISO 8601 instant: ${options.start}`);
  const days = options.days ?? DEFAULT_DAYS;
  if (!(days > 0)) throw new RangeError(`days must be positive, not ${days}`);
  return lines({ seed, events, users, bots, outOfOrder, format, header, startMs, spanMs: days * DAY });
}

/**
 * @param {{ seed: number | string, events: number, users: number, bots: number, outOfOrder: number,
 *   format: TimestampFormat, header: boolean, startMs: number, spanMs: number }} o checked options
 * @returns {Generator<string, void, undefined>}
 */
function* lines({ seed, events, users, bots, outOfOrder, format, header, startMs, spanMs }) {
  if (header) yield COLUMNS.join(',');
  if (events === 0) return;

  /** @type {World} */
  const world = { base: hashSeed(seed), startMs, spanMs, rhythm: new Rhythm(startMs, spanMs), users };

  // Who is a bot, and how many events each user has.
  const setup = new Rng(deriveSeed(world.base, STREAM.setup));
  const isBot = new Uint8Array(users);
  const shuffled = Uint32Array.from({ length: users }, (_, i) => i);
  for (let i = 0; i < bots; i++) {
    const j = i + setup.int(users - i);
    const chosen = /** @type {number} */ (shuffled[j]);
    shuffled[j] = /** @type {number} */ (shuffled[i]);
    isBot[chosen] = 1;
  }
  const humans = users - bots;
  const botEvents = bots === 0 ? 0 : humans === 0 ? events : Math.min(events - humans, Math.max(bots, Math.round(events * BOT_SHARE)));
  const humanWeights = new Float64Array(humans);
  for (let i = 0; i < humans; i++) humanWeights[i] = Math.min(300, (1 - setup.next()) ** (-1 / 1.2) - 1);
  const botWeights = new Float64Array(bots);
  for (let i = 0; i < bots; i++) botWeights[i] = 0.5 + setup.next();
  const humanExtra = apportion(events - botEvents - humans, humanWeights);
  const botBudgets = apportion(botEvents - bots, botWeights);
  const budgets = new Uint32Array(users);
  for (let i = 0, h = 0, b = 0; i < users; i++) {
    budgets[i] = 1 + /** @type {number} */ (isBot[i] ? botBudgets[b++] : humanExtra[h++]);
  }

  /** @param {number} index */
  const makeUser = (index) => {
    const budget = /** @type {number} */ (budgets[index]);
    return isBot[index] ? new Bot(world, index, budget) : new Human(world, index, budget);
  };

  // Users join the heap at their first event, so it holds only those active in between.
  const firstAt = new Float64Array(users);
  for (let i = 0; i < users; i++) firstAt[i] = makeUser(i).t;
  const joinOrder = Uint32Array.from({ length: users }, (_, i) => i).sort(
    (a, b) => /** @type {number} */ (firstAt[a]) - /** @type {number} */ (firstAt[b]) || a - b,
  );

  /** @type {MinHeap<Human | Bot>} */
  const active = new MinHeap((a, b) => a.t < b.t || (a.t === b.t && a.index < b.index));
  /** @typedef {{ key: number, seq: number, line: string }} Late */
  /** @type {MinHeap<Late>} */
  const pending = new MinHeap((a, b) => a.key < b.key || (a.key === b.key && a.seq < b.seq));
  const late = new Rng(deriveSeed(world.base, STREAM.late));
  let joined = 0;
  let seq = 0;
  for (;;) {
    let top = active.peek();
    while (joined < users) {
      const next = /** @type {number} */ (joinOrder[joined]);
      if (top && /** @type {number} */ (firstAt[next]) > top.t) break;
      active.push(makeUser(next));
      joined++;
      top = active.peek();
    }
    if (!top) break;
    const t = top.t;
    const line = `${top.id},${formatTimestamp(t, format)},${top.take()}`;
    if (top.done) active.pop();
    else active.fixTop();

    if (outOfOrder === 0) {
      yield line;
      continue;
    }
    const key = late.next() < outOfOrder ? t + Math.round(SECOND * (MAX_LATE_MS / SECOND) ** late.next()) : t;
    pending.push({ key, seq: seq++, line });
    for (let p = pending.peek(); p && p.key <= t; p = pending.peek()) {
      pending.pop();
      yield p.line;
    }
  }
  for (let p = pending.pop(); p; p = pending.pop()) yield p.line;
}
