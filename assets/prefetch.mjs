// The first reads of a Generate page, sent while the app's wasm downloads and compiles instead
// of after it has started: on /app/generate (and /app/generate/<session id>) with a stored,
// unexpired session, the rail's first page, the session and its first page of outputs. Each
// answer's promise is filed in window.__atelierPrefetch under the request that asked for it;
// the app (src/supabase/prefetched.rs) takes an answer only for a read of exactly the same
// method, URL and headers, so these queries must stay the app's to the byte — a read here that
// the app no longer makes is wasted, and tests/e2e/prefetch.test.mjs fails when one is sent twice.
// Inlined into index.html as a module (run in document order, after config.js); it sends the
// reads once the shell has painted, and files an empty map when it has nothing to send.

const RAIL_PAGE = 30; // RAIL_PAGE in src/services/sessions.rs
const OUTPUT_PAGE = 48; // FIRST_PAGE_SIZE in src/services/sessions/generations.rs
const REFRESH_MARGIN_SECS = 60; // src/domain/auth.rs: a token this close to expiry is renewed first
const SESSION_COLUMNS = 'id%2Cuser_id%2Ctitle%2Ccreated_at%2Cupdated_at';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// A line break written without an escape: Trunk's release minifier turns the string '\n' into
// a backslash and an n.
const NEWLINE = String.fromCharCode(10);

/** The key a request is filed under: as `request_key` in src/supabase/prefetched.rs builds it. */
const requestKey = (url, headers) =>
  [`GET ${url}`, ...Object.entries(headers).map(([name, value]) => `${name.toLowerCase()}: ${value}`).sort()].join(NEWLINE);

/** The reads the page at `path` starts with, as [path and query, extra headers]. */
const firstReads = (path, userId) => {
  const route = path.match(/^\/app\/generate(?:\/([^/]+))?\/?$/);
  if (!route) return [];
  const rail = [
    `sessions?select=${SESSION_COLUMNS}%2Cgenerations%28thumbnail_url%29&user_id=eq.${userId}` +
      '&generations.status=eq.completed&generations.thumbnail_url=not.is.null' +
      '&generations.order=created_at.desc.nullslast&generations.limit=1&order=created_at.desc%2Cid.desc',
    { accept: 'application/json', 'range-unit': 'items', range: `0-${RAIL_PAGE}` },
  ];
  const sessionId = route[1];
  if (!sessionId || !UUID.test(sessionId)) return [rail];
  return [
    rail,
    [`sessions?select=${SESSION_COLUMNS}&id=eq.${sessionId}`, { accept: 'application/json' }],
    [
      `generations?select=*&session_id=eq.${sessionId}&order=created_at.desc%2Cid.desc`,
      { accept: 'application/json', 'range-unit': 'items', range: `0-${OUTPUT_PAGE}`, prefer: 'count=exact' },
    ],
  ];
};

/** The reads to send now: none without a usable stored session and config. */
const readsToSend = () => {
  let session = null;
  try {
    session = JSON.parse(localStorage.getItem('atelier.auth') ?? 'null');
  } catch {
    return [];
  }
  const token = session?.access_token;
  const userId = session?.user?.id;
  const fresh = session?.expires_at - REFRESH_MARGIN_SECS - Math.floor(Date.now() / 1000) > 0;
  // The config as src/supabase/config.rs reads it: trimmed, the URL without trailing slashes.
  const config = window.ATELIER_CONFIG;
  const base = String(config?.supabaseUrl ?? '').trim().replace(/\/+$/, '');
  const anonKey = String(config?.supabaseAnonKey ?? '').trim();
  if (!base || !anonKey || !token || !userId || !UUID.test(userId) || !fresh) return [];
  return firstReads(location.pathname, userId).map(([pathAndQuery, extra]) => ({
    url: `${base}/rest/v1/${pathAndQuery}`,
    headers: { apikey: anonKey, authorization: `Bearer ${token}`, ...extra },
  }));
};

/** Sends the reads and files their answers (an empty map when there is nothing to send). */
const prefetch = () => {
  // Too late: the app has started and sends its reads itself (a tab shown only now).
  if (window.wasmBindings) return;
  const filed = new Map();
  for (const { url, headers } of readsToSend()) {
    const response = fetch(url, { headers });
    // An answer the app never takes must not surface as an unhandled rejection.
    response.catch(() => {});
    filed.set(requestKey(url, headers), { at: Date.now(), response });
  }
  window.__atelierPrefetch = filed;
};

/**
 * Runs `work` in a task after the next frame is painted: queued from the frame's
 * requestAnimationFrame callback, it runs once that frame's rendering is done. A paint
 * observer is no signal here: its entries are delivered in a low-priority task, which on a
 * loaded main thread comes after the app has started. A background tab paints no frame, so a
 * timer sends after 1 s. Returns the function that runs `work` now if it has not run yet.
 */
const afterNextPaint = (work) => {
  let done = false;
  const once = () => {
    if (!done) {
      done = true;
      work();
    }
  };
  requestAnimationFrame(() => setTimeout(once));
  setTimeout(once, 1000);
  return once;
};

// Once the shell's first frame is painted: sent earlier, the reads and their CORS preflights
// compete with that paint. The wasm is still compiling then, so the answers are in before the
// app asks. A page that has painted no frame yet when its app is about to start (a busy or
// throttled main thread) sends them then: the loader in Trunk.toml calls this right before it
// starts the app, so the reads are always filed before the app asks for them.
window.__atelierPrefetchNow = afterNextPaint(prefetch);
