/*
 * sse-client.js: a small, dependency-free client for the SSE starter's stream, around the browser's EventSource.
 * Copy it into any page (it is an ES module):
 *
 *   import { SseClient } from '/js/sse-client.js';
 *   const client = new SseClient('/api/v1/sse', { topics: ['notifications'] });
 *   client.on('notification.created', (data) => show(data.message));
 *   client.onReset(() => reloadState());   // the page missed events the server could not give it
 *   client.onStatus((status) => indicator.textContent = status);
 *   client.connect(state.position);       // the position returned with the state the page rendered, if any
 *
 * What it adds to EventSource:
 * - named-event handlers that receive the data parsed as JSON when it is JSON (the raw MessageEvent comes second);
 * - status callbacks: connecting, open, reconnecting, stopped (evicted by a newer tab), closed (by the page);
 * - resumption across page reloads: the last event id is kept in sessionStorage and sent as ?lastEventId=, so the
 *   server replays what the page missed while it reloaded (the browser itself sends Last-Event-ID only on its own
 *   reconnects);
 * - reconnection with exponential backoff and jitter when the browser has given up: after a non-200 answer (401,
 *   429, 5xx close an EventSource for good) or an sse.overloaded event;
 * - onReset(handler) for sse.reset, whatever its reason (lagged, dropped, expired, unknown, unavailable): the server
 *   could not give the page some events, said so at the exact place, and continues after them; the page should
 *   refetch the state it renders from events;
 * - sse.evicted (this tab's stream was replaced by a newer one of the same user) stops for good: reconnecting would
 *   evict the other tab in turn;
 * - sse.ended (the login that opened the stream ended): 'session-ended' (logout, session expiry) stops for good;
 *   'token-expired' reconnects at once, asking the query option for fresh parameters (a new access_token);
 * - an immediate reconnect when the network comes back or the page becomes visible, and a clean close on unload.
 */

const DEFAULTS = {
  topics: [],
  withCredentials: false,
  initialBackoffMs: 1000,
  maxBackoffMs: 30000,
  storageKey: null, // default: derived from the URL and the topics given to the constructor
  query: null, // a function returning extra query parameters, called at every (re)connect: { access_token: token() }
};

export class SseClient {

  constructor(url, options = {}) {
    this.url = url;
    this.options = { ...DEFAULTS, ...options };
    this.handlers = new Map();
    this.statusListeners = [];
    this.status = 'closed';
    this.source = null;
    this.retryTimer = null;
    this.attempt = 0;
    this.stopped = false;
    // Fixed at construction, so that setTopics() resumes after the same position, while two clients with different
    // topics on one page keep their own (one resuming from the other's position would skip its own events).
    this.key = this.options.storageKey
      || ('sse:' + url + '#' + [...this.options.topics].sort().join(','));
    this._onOnline = () => this._reconnectSoon();
    this._onVisible = () => { if (document.visibilityState === 'visible') this._reconnectSoon(); };
    this._onPageHide = () => this._closeSource();
  }

  /** Handle an event by name ('message' for unnamed events). The handler gets (data, event). */
  on(name, handler) {
    if (!this.handlers.has(name)) {
      this.handlers.set(name, []);
      if (this.source) this._listen(this.source, name);
    }
    this.handlers.get(name).push(handler);
    return this;
  }

  /**
   * Be told when the server could not give the page some events (an sse.reset event, for any reason): refetch the
   * state built from events. The handler gets (reason, data, event); events after the reset keep arriving.
   */
  onReset(handler) {
    return this.on('sse.reset', (data, event) => handler(data && data.reason, data, event));
  }

  /** Be told about every status change: connecting, open, reconnecting, stopped, closed. */
  onStatus(listener) {
    this.statusListeners.push(listener);
    listener(this.status);
    return this;
  }

  /** The id of the last event received (also after a reload), or null. */
  get lastEventId() {
    try {
      return sessionStorage.getItem(this._storageKey());
    } catch (e) {
      return this._memoryLastEventId || null;
    }
  }

  /**
   * Open the stream (again). Topics can be changed with setTopics() before. Pass the position a REST call returned
   * with the data the page rendered (SseService.position()) to receive exactly what was published after it.
   */
  connect(position) {
    this.stopped = false;
    if (position) this._remember(position);
    window.addEventListener('online', this._onOnline);
    document.addEventListener('visibilitychange', this._onVisible);
    window.addEventListener('pagehide', this._onPageHide);
    this._open();
    return this;
  }

  /** Change the topics; the stream is reopened at once, resuming after the last event. */
  setTopics(topics) {
    this.options.topics = topics;
    if (!this.stopped && this.source) {
      this._closeSource();
      this._open();
    }
  }

  /** Close for good (until connect() is called again). */
  close() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this._closeSource();
    window.removeEventListener('online', this._onOnline);
    document.removeEventListener('visibilitychange', this._onVisible);
    window.removeEventListener('pagehide', this._onPageHide);
    this._setStatus('closed');
  }

  _open() {
    clearTimeout(this.retryTimer);
    const params = new URLSearchParams();
    if (this.options.topics.length) params.set('topics', this.options.topics.join(','));
    const last = this.lastEventId;
    if (last) params.set('lastEventId', last);
    if (this.options.query) {
      for (const [name, value] of Object.entries(this.options.query())) params.set(name, value);
    }
    const query = params.toString();
    const url = this.url + (query ? (this.url.includes('?') ? '&' : '?') + query : '');
    this._setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const source = new EventSource(url, { withCredentials: this.options.withCredentials });
    this.source = source;
    source.onopen = () => {
      // The backoff starts over only once the server admits the stream (its first event): a full server also
      // answers 200, then sends sse.overloaded.
      this._setStatus('open');
    };
    source.onerror = () => {
      if (source !== this.source) return;
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (a non-200 answer): retry ourselves, with backoff.
        this._retryLater();
      } else {
        this._setStatus('reconnecting'); // the browser retries by itself, after the server's retry: hint
      }
    };
    for (const name of new Set(['message', 'sse.connected', 'sse.reset', 'sse.overloaded', 'sse.evicted', 'sse.ended',
      ...this.handlers.keys()])) {
      this._listen(source, name);
    }
  }

  _listen(source, name) {
    source.addEventListener(name, (event) => {
      if (source !== this.source) return;
      if (event.lastEventId) this._remember(event.lastEventId);
      if (name !== 'sse.overloaded') {
        this.attempt = 0; // admitted (sse.connected, or any event if the server sends no notice)
      }
      if (name === 'sse.overloaded') {
        this._closeSource();
        this._retryLater();
      }
      const data = parse(event.data);
      if (name === 'sse.evicted' || (name === 'sse.ended' && data.reason !== 'token-expired')) {
        this.stopped = true;
        this._closeSource();
        this._setStatus('stopped');
      } else if (name === 'sse.ended') {
        this._closeSource();
        this._open(); // with a fresh token from the query option
      }
      for (const handler of this.handlers.get(name) || []) {
        try {
          handler(data, event);
        } catch (e) {
          console.error('SSE handler for ' + name + ' failed', e);
        }
      }
    });
  }

  _retryLater() {
    this._closeSource();
    if (this.stopped) return;
    const cap = Math.min(this.options.maxBackoffMs, this.options.initialBackoffMs * 2 ** this.attempt);
    const delay = cap / 2 + Math.random() * cap / 2; // "equal jitter": spread, but never immediately
    this.attempt++;
    this._setStatus('reconnecting');
    this.retryTimer = setTimeout(() => this._open(), delay);
  }

  _reconnectSoon() {
    if (this.stopped) return;
    if (!this.source || this.source.readyState === EventSource.CLOSED) {
      this.attempt = 0;
      this._open();
    }
  }

  _closeSource() {
    if (this.source) {
      this.source.close();
      this.source = null;
    }
  }

  _remember(id) {
    this._memoryLastEventId = id;
    try {
      sessionStorage.setItem(this._storageKey(), id);
    } catch (e) {
      // storage unavailable (private mode): resumption lasts until the page is reloaded
    }
  }

  _storageKey() {
    return this.key;
  }

  _setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }

}

function parse(data) {
  if (data === undefined || data === null || data === '') return data;
  const first = data.charAt(0);
  if (first === '{' || first === '[' || first === '"') {
    try {
      return JSON.parse(data);
    } catch (e) {
      return data;
    }
  }
  return data;
}
