#!/usr/bin/env node
// A fake Mastodon instance for tests, following the documented API
// (https://docs.joinmastodon.org/methods/apps/, /methods/oauth/, /methods/accounts/#verify_credentials,
// /methods/instance/#v2, /methods/media/, /methods/statuses/#create, /api/rate-limits/):
// app registration, the authorization code flow with an HTML "Authorize"/"Deny" page and PKCE S256,
// revocable tokens, media that is processed over a few polls (202 → 206 → 200), statuses with
// Idempotency-Key and the instance's max_characters, plus an admin API under /__admin/ to inject
// failures (401, 429 with X-RateLimit-Reset, 5xx, a connection dropped after the work is done),
// to revoke every token or forget every app registration, and to read what it received. One signed-in user, as if they were logged in to the instance.
//
// From Node: `const fake = await start({ maxCharacters: 500, mediaPolls: 1 })` → { url, close, … }.
// As a program: `node tests/servers/mastodon.mjs [--port N] [--max-characters N] [--media-polls N]
// [--username NAME]` prints one JSON line {"url": …} once listening; it exits on SIGTERM/SIGINT,
// or when its stdin is a pipe that closes (the test that spawned it is gone).
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { fstatSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const KNOWN_SCOPES = new Set([
  'read', 'write', 'follow', 'push', 'profile',
  'read:accounts', 'read:blocks', 'read:bookmarks', 'read:favourites', 'read:filters', 'read:follows', 'read:lists',
  'read:mutes', 'read:notifications', 'read:search', 'read:statuses',
  'write:accounts', 'write:blocks', 'write:bookmarks', 'write:conversations', 'write:favourites', 'write:filters',
  'write:follows', 'write:lists', 'write:media', 'write:mutes', 'write:notifications', 'write:reports', 'write:statuses',
]);
const MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'image/heif', 'image/avif',
  'video/mp4', 'video/webm', 'video/quicktime', 'audio/mpeg', 'audio/ogg', 'audio/wave'];
const MAX_MEDIA = 4;
const DESCRIPTION_LIMIT = 1500;
const URL_LENGTH = 23;
const IDEMPOTENCY_SECONDS = 3600;
const CODE_SECONDS = 600;
const RATE_LIMIT = 300;
const RATE_WINDOW_MS = 5 * 60_000;
const MAX_BODY = 64 * 1024 * 1024;
const NOT_FINISHED = 'Cannot attach files that have not finished processing. Try again in a moment!';

class ApiError extends Error {
  constructor(status, error, extra = {}) {
    super(error);
    this.status = status;
    this.body = { error, ...extra };
  }
}

const token = (bytes = 32) => randomBytes(bytes).toString('base64url');
const s256 = (verifier) => createHash('sha256').update(verifier).digest('base64url');
const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** Starts a fake instance on 127.0.0.1; resolves once it listens. */
export async function start(options = {}) {
  const config = {
    maxCharacters: options.maxCharacters ?? 500,
    mediaPolls: options.mediaPolls ?? 1,
    username: options.username ?? 'alice',
    displayName: options.displayName ?? 'Alice',
    title: options.title ?? 'Fake Mastodon',
  };
  let nextId = 110_000_000_000_000_000n;
  const newId = () => String(++nextId);
  const accountId = newId();
  const accountCreatedAt = new Date().toISOString();

  const apps = new Map(); // client_id → app
  const codes = new Map(); // code → grant
  const tokens = new Map(); // access token → { client_id, scope, user, revoked }
  const media = new Map(); // id → attachment with its bytes
  const statuses = new Map(); // id → status
  const idempotency = new Map(); // `${account}:${key}` → { id, at }
  let faults = [];
  let received = emptyReceived();
  let rate = { windowStart: Date.now(), used: 0 };

  function emptyReceived() {
    return { requests: [], apps: [], statuses: [], status_posts: [], media: [], revoked: [] };
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      console.error(e);
      if (!res.headersSent) send(res, { status: 500, json: { error: 'Internal server error' } });
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const base = `http://127.0.0.1:${server.address().port}`;
  const host = new URL(base).host;

  // ---------------------------------------------------------------------------------------------
  // Request plumbing

  async function handle(req, res) {
    const url = new URL(req.url, base);
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const raw = await readBody(req);
    const record = {
      method: req.method, path, query: Object.fromEntries(url.searchParams), headers: { ...req.headers }, status: null,
    };
    if (!path.startsWith('/__admin')) received.requests.push(record);
    const reply = (r) => {
      record.status = r.drop ? 'dropped' : r.status;
      if (r.drop) return req.socket.destroy();
      send(res, r);
    };

    if (path.startsWith('/__admin/')) return reply(admin(req.method, path, parseParams(req, raw, url)));

    const fault = takeFault(req.method, path);
    const posting = req.method === 'POST' && path === '/api/v1/statuses';
    if (fault && !fault.drop) {
      const answer = faultReply(fault);
      if (posting) {
        const p = parseParams(req, raw, url);
        received.status_posts.push({ idempotency_key: req.headers['idempotency-key'] ?? null, text: p.status ?? null, media_ids: list(p.media_ids).map(String), status: answer.status, injected: true });
      }
      return reply(answer);
    }

    let r;
    try {
      r = await route(req, path, url, raw);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      r = { status: e.status, json: e.body };
    }
    if (path.startsWith('/api/')) r.headers = { ...rateHeaders(), ...r.headers };
    if (fault?.drop && posting) received.status_posts.at(-1).dropped = true;
    reply(fault?.drop ? { ...r, drop: true } : r);
  }

  function send(res, { status, json, html, text, bytes, contentType, headers = {}, location }) {
    const h = { ...headers };
    let body = '';
    if (json !== undefined) {
      h['Content-Type'] = 'application/json; charset=utf-8';
      body = JSON.stringify(json);
    } else if (html !== undefined) {
      h['Content-Type'] = 'text/html; charset=utf-8';
      body = html;
    } else if (bytes !== undefined) {
      h['Content-Type'] = contentType;
      body = bytes;
    } else if (text !== undefined) {
      h['Content-Type'] = 'text/plain; charset=utf-8';
      body = text;
    }
    if (location) h.Location = location;
    res.writeHead(status, h);
    res.end(body);
  }

  function readBody(req) {
    return new Promise((resolve, reject) => {
      const chunks = [];
      let size = 0;
      req.on('data', (c) => {
        size += c.length;
        if (size > MAX_BODY) {
          req.destroy();
          reject(new Error('request body too large'));
        } else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  function rateHeaders() {
    const now = Date.now();
    if (now - rate.windowStart >= RATE_WINDOW_MS) rate = { windowStart: now, used: 0 };
    rate.used++;
    return {
      'X-RateLimit-Limit': String(RATE_LIMIT),
      'X-RateLimit-Remaining': String(Math.max(0, RATE_LIMIT - rate.used)),
      'X-RateLimit-Reset': isoMicros(new Date(rate.windowStart + RATE_WINDOW_MS)),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Routes

  async function route(req, path, url, raw) {
    const m = req.method;
    const params = () => parseParams(req, raw, url);
    if (m === 'POST' && path === '/api/v1/apps') return createApp(params(), req);
    if (m === 'GET' && path === '/oauth/authorize') return authorizePage(Object.fromEntries(url.searchParams));
    if (m === 'POST' && path === '/oauth/authorize') return decide(params());
    if (m === 'POST' && path === '/oauth/token') return issueToken(params(), req);
    if (m === 'POST' && path === '/oauth/revoke') return revoke(params(), req);
    if (m === 'GET' && path === '/api/v2/instance') return { status: 200, json: instance() };
    if (m === 'GET' && path === '/api/v1/accounts/verify_credentials') {
      authorize(req, 'read:accounts', { user: true });
      return { status: 200, json: { ...account(), source: { privacy: 'public', sensitive: false, language: null, note: '', fields: [], follow_requests_count: 0 } } };
    }
    if (m === 'POST' && path === '/api/v2/media') return uploadMedia(req, raw);
    let hit;
    if (m === 'GET' && (hit = path.match(/^\/api\/v1\/media\/(\d+)$/))) return pollMedia(req, hit[1]);
    if (m === 'POST' && path === '/api/v1/statuses') return postStatus(req, params());
    if (m === 'GET' && (hit = path.match(/^\/api\/v1\/statuses\/(\d+)$/))) {
      const status = statuses.get(hit[1]);
      if (!status) throw new ApiError(404, 'Record not found');
      return { status: 200, json: status };
    }
    if (m === 'GET' && (hit = path.match(/^\/@([^/]+)\/(\d+)$/)) && hit[1] === config.username && statuses.has(hit[2])) {
      const s = statuses.get(hit[2]);
      return { status: 200, html: page(`@${config.username}: ${s.id}`, `<article>${s.content}</article>`) };
    }
    if (m === 'GET' && (hit = path.match(/^\/system\/media_attachments\/(\d+)\/[^/]+$/)) && media.has(hit[1])) {
      const a = media.get(hit[1]);
      return { status: 200, bytes: a.bytes, contentType: a.content_type };
    }
    if (path.startsWith('/api/')) throw new ApiError(404, 'Record not found');
    return { status: 404, html: page('Not found', '<h1>The page you are looking for isn\'t here.</h1>') };
  }

  // --- apps and OAuth ---------------------------------------------------------------------------

  function createApp(p) {
    const name = str(p.client_name).trim();
    if (!name) throw new ApiError(422, "Validation failed: Application name can't be blank");
    const uris = list(p.redirect_uris).flatMap((u) => String(u).split(/\s*\n\s*/)).map((u) => u.trim()).filter(Boolean);
    if (!uris.length) throw new ApiError(422, "Validation failed: Redirect URI can't be blank");
    for (const u of uris) {
      if (u !== 'urn:ietf:wg:oauth:2.0:oob' && !isAbsoluteUri(u)) throw new ApiError(422, 'Validation failed: Redirect URI must be an absolute URI.');
    }
    const scopes = splitScopes(p.scopes ?? 'read');
    if (!scopes.length || scopes.some((s) => !KNOWN_SCOPES.has(s))) throw new ApiError(422, 'Validation failed: Scopes must be a list of known scopes');
    const app = {
      id: newId(), name, website: str(p.website) || null, scopes, redirect_uri: uris.join('\n'), redirect_uris: uris,
      client_id: token(), client_secret: token(), client_secret_expires_at: 0, vapid_key: token(65),
    };
    apps.set(app.client_id, app);
    received.apps.push({ ...app });
    return { status: 200, json: app };
  }

  /** The grant a request describes, or the reason it cannot be shown (as Doorkeeper's checks). */
  function grantRequest(q) {
    const app = apps.get(str(q.client_id));
    if (!app) return { fatal: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.' };
    const redirectUri = str(q.redirect_uri);
    if (!app.redirect_uris.includes(redirectUri)) return { fatal: 'The redirect uri included is not valid.' };
    const back = (error, description) => ({ app, redirectUri, error, description, state: q.state });
    if (str(q.response_type) !== 'code') return back('unsupported_response_type', 'The authorization server does not support this response type.');
    const scopes = splitScopes(q.scope ?? 'read');
    if (!scopes.length || scopes.some((s) => !app.scopes.includes(s))) return back('invalid_scope', 'The requested scope is invalid, unknown, or malformed.');
    const challenge = str(q.code_challenge);
    const method = str(q.code_challenge_method) || (challenge ? 'plain' : '');
    if (challenge && method !== 'S256') return back('invalid_request', 'The code challenge method must be S256.');
    return { app, redirectUri, scope: scopes.join(' '), state: q.state, challenge, method };
  }

  function redirectBack(redirectUri, query) {
    const target = new URL(redirectUri);
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') target.searchParams.set(k, v);
    return { status: 302, location: target.href, html: '' };
  }

  function authorizePage(q) {
    const g = grantRequest(q);
    if (g.fatal) return { status: 400, html: page('An error has occurred', `<h1>An error has occurred</h1><p>${escapeHtml(g.fatal)}</p>`) };
    if (g.error) return redirectBack(g.redirectUri, { error: g.error, error_description: g.description, state: g.state });
    const hidden = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method']
      .filter((k) => q[k] !== undefined)
      .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(q[k])}">`).join('');
    const scopes = g.scope.split(' ').map((s) => `<li>${escapeHtml(s)}</li>`).join('');
    return {
      status: 200,
      html: page(`Authorize ${g.app.name}`, `
<h1>Authorization required</h1>
<p><strong>${escapeHtml(g.app.name)}</strong> would like permission to access your account
<strong>@${escapeHtml(config.username)}@${escapeHtml(host)}</strong>. It is a third-party application.
<strong>If you do not trust it, then you should not authorize it.</strong></p>
<h2>Review permissions</h2><ul>${scopes}</ul>
<form method="post" action="/oauth/authorize">${hidden}<button type="submit">Authorize</button></form>
<form method="post" action="/oauth/authorize"><input type="hidden" name="_method" value="delete">${hidden}<button type="submit">Deny</button></form>`),
    };
  }

  function decide(p) {
    const g = grantRequest(p);
    if (g.fatal) return { status: 400, html: page('An error has occurred', `<h1>An error has occurred</h1><p>${escapeHtml(g.fatal)}</p>`) };
    if (g.error) return redirectBack(g.redirectUri, { error: g.error, error_description: g.description, state: g.state });
    if (str(p._method).toLowerCase() === 'delete') {
      return redirectBack(g.redirectUri, { error: 'access_denied', error_description: 'The resource owner or authorization server denied the request.', state: g.state });
    }
    const code = token();
    codes.set(code, {
      client_id: g.app.client_id, redirect_uri: g.redirectUri, scope: g.scope, challenge: g.challenge, method: g.method,
      expires: Date.now() + CODE_SECONDS * 1000, used: false,
    });
    if (g.redirectUri === 'urn:ietf:wg:oauth:2.0:oob') {
      return { status: 200, html: page('Authorization code', `<p>Copy this authorization code and paste it to the application.</p><input readonly value="${code}">`) };
    }
    return redirectBack(g.redirectUri, { code, state: g.state });
  }

  /** The app a token request authenticates as (form fields or HTTP Basic), or null. */
  function clientOf(p, req) {
    let id = str(p.client_id), secret = str(p.client_secret);
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) [id, secret] = Buffer.from(basic[1], 'base64').toString().split(':').map(decodeURIComponent);
    const app = apps.get(id);
    return app && app.client_secret === secret ? app : null;
  }

  function issueToken(p, req) {
    const app = clientOf(p, req);
    const invalidClient = () => new ApiError(401, 'invalid_client', { error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.' });
    const invalidGrant = (why) => new ApiError(400, 'invalid_grant', { error_description: `The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client. (${why})` });
    const grantType = str(p.grant_type);
    if (grantType === 'client_credentials') {
      if (!app) throw invalidClient();
      const scopes = splitScopes(p.scope ?? 'read');
      if (scopes.some((s) => !app.scopes.includes(s))) throw new ApiError(400, 'invalid_scope', { error_description: 'The requested scope is invalid, unknown, or malformed.' });
      return { status: 200, json: mint(app, scopes.join(' '), false) };
    }
    if (grantType !== 'authorization_code') throw new ApiError(400, 'unsupported_grant_type', { error_description: 'The authorization grant type is not supported by the authorization server.' });
    if (!app) throw invalidClient();
    const grant = codes.get(str(p.code));
    if (!grant) throw invalidGrant('unknown code');
    if (grant.used) throw invalidGrant('code already used');
    if (grant.expires < Date.now()) throw invalidGrant('code expired');
    if (grant.client_id !== app.client_id) throw invalidGrant('code issued to another client');
    if (grant.redirect_uri !== str(p.redirect_uri)) throw invalidGrant('redirect_uri differs');
    if (grant.challenge) {
      const verifier = str(p.code_verifier);
      if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) throw invalidGrant('code_verifier missing or malformed');
      if (s256(verifier) !== grant.challenge) throw invalidGrant('code_verifier does not match the code_challenge');
    }
    grant.used = true;
    return { status: 200, json: mint(app, grant.scope, true) };
  }

  function mint(app, scope, user) {
    const access = token();
    const createdAt = Math.floor(Date.now() / 1000);
    tokens.set(access, { client_id: app.client_id, scope, user, revoked: false });
    return { access_token: access, token_type: 'Bearer', scope, created_at: createdAt };
  }

  function revoke(p, req) {
    const app = clientOf(p, req);
    const refuse = () => new ApiError(403, 'unauthorized_client', { error_description: 'You are not authorized to revoke this token' });
    if (!app) throw refuse();
    const t = tokens.get(str(p.token));
    if (t) {
      if (t.client_id !== app.client_id) throw refuse();
      t.revoked = true;
      received.revoked.push(str(p.token));
    }
    return { status: 200, json: {} };
  }

  /** The token of an API call with the scope it needs, or the instance's 401/403/422. */
  function authorize(req, scope, { user = false } = {}) {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const t = bearer && tokens.get(bearer);
    if (!t) throw new ApiError(401, 'The access token is invalid');
    if (t.revoked) throw new ApiError(401, 'The access token was revoked');
    const granted = t.scope.split(' ');
    const covered = granted.includes(scope) || granted.includes(scope.split(':')[0]) || (scope === 'read:accounts' && granted.includes('profile'));
    if (!covered) throw new ApiError(403, 'This action is outside the authorized scopes');
    if (user && !t.user) throw new ApiError(422, 'This method requires an authenticated user');
    return t;
  }

  // --- entities -----------------------------------------------------------------------------

  function account() {
    const count = [...statuses.values()].length;
    return {
      id: accountId, username: config.username, acct: config.username, display_name: config.displayName,
      locked: false, bot: false, discoverable: true, group: false, created_at: accountCreatedAt, note: '',
      url: `${base}/@${config.username}`, uri: `${base}/users/${config.username}`,
      avatar: `${base}/avatars/original/missing.png`, avatar_static: `${base}/avatars/original/missing.png`,
      header: `${base}/headers/original/missing.png`, header_static: `${base}/headers/original/missing.png`,
      followers_count: 0, following_count: 0, statuses_count: count, last_status_at: null, emojis: [], fields: [],
    };
  }

  function instance() {
    return {
      domain: host, title: config.title, version: '4.3.0', source_url: 'https://github.com/mastodon/mastodon',
      description: 'A fake Mastodon instance for tests.', usage: { users: { active_month: 1 } },
      thumbnail: { url: `${base}/packs/media/images/preview.png` }, languages: ['en'],
      configuration: {
        urls: { streaming: base.replace(/^http/, 'ws') },
        accounts: { max_featured_tags: 10, max_pinned_statuses: 5 },
        statuses: { max_characters: config.maxCharacters, max_media_attachments: MAX_MEDIA, characters_reserved_per_url: URL_LENGTH },
        media_attachments: {
          supported_mime_types: MEDIA_TYPES, description_limit: DESCRIPTION_LIMIT, image_size_limit: 16_777_216,
          image_matrix_limit: 33_177_600, video_size_limit: 103_809_024, video_frame_rate_limit: 120, video_matrix_limit: 8_294_400,
        },
        polls: { max_options: 4, max_characters_per_option: 50, min_expiration: 300, max_expiration: 2_629_746 },
        translation: { enabled: false },
      },
      registrations: { enabled: false, approval_required: false, message: null },
      api_versions: { mastodon: 2 },
      contact: { email: '', account: null },
      rules: [],
    };
  }

  function attachmentJson(a) {
    const ready = a.pendingPolls <= 0;
    return {
      id: a.id, type: a.type, url: ready ? `${base}/system/media_attachments/${a.id}/${encodeURIComponent(a.filename)}` : null,
      preview_url: `${base}/system/media_attachments/${a.id}/${encodeURIComponent(a.filename)}`, remote_url: null,
      preview_remote_url: null, text_url: null, meta: {}, description: a.description, blurhash: null,
    };
  }

  // --- media --------------------------------------------------------------------------------

  function uploadMedia(req, raw) {
    authorize(req, 'write:media', { user: true });
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(req.headers['content-type'] ?? '');
    const parts = boundary ? parseMultipart(raw, boundary[1] ?? boundary[2]) : [];
    const file = parts.find((p) => p.name === 'file' && p.filename !== undefined);
    if (!file || file.data.length === 0) throw new ApiError(422, "Validation failed: File can't be blank");
    const contentType = (file.contentType ?? 'application/octet-stream').toLowerCase();
    if (!MEDIA_TYPES.includes(contentType)) throw new ApiError(422, 'Validation failed: File content type is invalid');
    const description = parts.find((p) => p.name === 'description')?.data.toString('utf8') ?? null;
    if (description && [...description].length > DESCRIPTION_LIMIT) throw new ApiError(422, `Validation failed: Description is too long (maximum is ${DESCRIPTION_LIMIT} characters)`);
    const a = {
      id: newId(), type: contentType === 'image/gif' ? 'gifv' : contentType.split('/')[0], description,
      filename: file.filename || 'file', content_type: contentType, bytes: file.data, pendingPolls: config.mediaPolls,
      statusId: null, owner: accountId,
    };
    media.set(a.id, a);
    received.media.push({
      id: a.id, description, content_type: contentType, filename: a.filename, size: a.bytes.length,
      sha256: createHash('sha256').update(a.bytes).digest('hex'), headers: { ...req.headers },
    });
    return { status: a.pendingPolls > 0 ? 202 : 200, json: attachmentJson(a) };
  }

  function pollMedia(req, id) {
    authorize(req, 'write:media', { user: true });
    const a = media.get(id);
    if (!a || a.owner !== accountId) throw new ApiError(404, 'Record not found');
    if (a.pendingPolls > 0) {
      a.pendingPolls--;
      return { status: 206, json: { ...attachmentJson({ ...a, pendingPolls: 1 }) } };
    }
    return { status: 200, json: attachmentJson(a) };
  }

  // --- statuses -----------------------------------------------------------------------------

  function postStatus(req, p) {
    const key = req.headers['idempotency-key'];
    const attempt = { idempotency_key: key ?? null, text: p.status ?? null, media_ids: list(p.media_ids).map(String), status: null };
    received.status_posts.push(attempt);
    try {
      const r = createStatus(req, p, key);
      attempt.status = r.status;
      attempt.replayed = r.replayed;
      return r;
    } catch (e) {
      if (e instanceof ApiError) attempt.status = e.status;
      throw e;
    }
  }

  function createStatus(req, p, key) {
    authorize(req, 'write:statuses', { user: true });
    const slot = key ? `${accountId}:${key}` : null;
    const seen = slot && idempotency.get(slot);
    if (seen && Date.now() - seen.at < IDEMPOTENCY_SECONDS * 1000 && statuses.has(seen.id)) {
      return { status: 200, json: statuses.get(seen.id), replayed: true };
    }
    const ids = list(p.media_ids).map(String);
    if (ids.length > MAX_MEDIA) throw new ApiError(422, `Cannot attach more than ${MAX_MEDIA} files`);
    const attachments = ids.map((id) => {
      const a = media.get(id);
      if (!a || a.owner !== accountId || a.statusId) throw new ApiError(422, `Media attachment ${id} not found`);
      return a;
    });
    if (attachments.some((a) => a.pendingPolls > 0)) throw new ApiError(422, NOT_FINISHED);
    if (attachments.length > 1 && attachments.some((a) => a.type === 'video' || a.type === 'gifv')) {
      throw new ApiError(422, 'Cannot attach a video to a post that already contains images');
    }
    const text = str(p.status);
    if (!text.trim() && !attachments.length) throw new ApiError(422, "Validation failed: Text can't be blank");
    const length = statusLength(text) + statusLength(str(p.spoiler_text));
    if (length > config.maxCharacters) throw new ApiError(422, `Validation failed: Text character limit of ${config.maxCharacters} exceeded`);
    const visibility = str(p.visibility) || 'public';
    if (!['public', 'unlisted', 'private', 'direct'].includes(visibility)) throw new ApiError(422, 'Validation failed: Visibility is not included in the list');

    const id = newId();
    const app = apps.get(tokens.get(/^Bearer\s+(.+)$/i.exec(req.headers.authorization)[1]).client_id);
    for (const a of attachments) a.statusId = id;
    const status = {
      id, created_at: new Date().toISOString(), in_reply_to_id: null, in_reply_to_account_id: null,
      sensitive: p.sensitive === true || p.sensitive === 'true', spoiler_text: str(p.spoiler_text), visibility,
      language: str(p.language) || 'en', uri: `${base}/users/${config.username}/statuses/${id}`,
      url: `${base}/@${config.username}/${id}`, replies_count: 0, reblogs_count: 0, favourites_count: 0,
      edited_at: null, content: render(text), reblog: null, application: app ? { name: app.name, website: app.website } : null,
      account: account(), media_attachments: attachments.map(attachmentJson), mentions: [],
      tags: [...new Set([...text.matchAll(/(?:^|[^\p{L}\p{N}_/])#([\p{L}\p{N}_]+)/gu)].map((m) => m[1].toLowerCase()))]
        .map((name) => ({ name, url: `${base}/tags/${name}` })),
      emojis: [], card: null, poll: null,
    };
    statuses.set(id, status);
    if (slot) idempotency.set(slot, { id, at: Date.now() });
    received.statuses.push({
      id, text, visibility, media_ids: ids, media_descriptions: attachments.map((a) => a.description),
      idempotency_key: key ?? null, url: status.url, headers: { ...req.headers },
    });
    return { status: 200, json: status };
  }

  /** Characters as Mastodon counts them: graphemes, every http(s) URL as 23. */
  function statusLength(text) {
    const shortened = text.replace(/https?:\/\/\S+/g, 'x'.repeat(URL_LENGTH));
    return [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(shortened)].length;
  }

  function render(text) {
    const inline = (s) => escapeHtml(s)
      .replace(/https?:\/\/[^\s<]+/g, (u) => `<a href="${u}" target="_blank" rel="nofollow noopener">${u}</a>`)
      .replace(/(^|[^\p{L}\p{N}_/&])#([\p{L}\p{N}_]+)/gu, (_, pre, tag) => `${pre}<a href="${base}/tags/${tag.toLowerCase()}" class="mention hashtag" rel="tag">#<span>${tag}</span></a>`);
    return text.split(/\n{2,}/).map((para) => `<p>${para.split('\n').map(inline).join('<br />')}</p>`).join('');
  }

  // ---------------------------------------------------------------------------------------------
  // Admin API (tests only)

  /**
   * A fault answers the next `count` requests to `path` (and `method`, when given) instead of the
   * instance: `status` with `body`/`headers` (429 gets X-RateLimit-Reset = `reset_at`, or
   * `reset_in_seconds` from now), or with `drop: true` the request is handled and the connection
   * closed before the answer.
   */
  function addFault(f) {
    if (!f.path || (!f.drop && !f.status)) throw new ApiError(400, 'A fault needs path and status (or drop: true).');
    const fault = {
      path: f.path, method: f.method ? String(f.method).toUpperCase() : null, status: Number(f.status) || null,
      drop: Boolean(f.drop), count: Number(f.count ?? 1), body: f.body ?? null, headers: f.headers ?? {},
      reset_at: f.reset_at ?? (f.reset_in_seconds !== undefined ? new Date(Date.now() + Number(f.reset_in_seconds) * 1000).toISOString() : null),
    };
    faults.push(fault);
    return fault;
  }

  function takeFault(method, path) {
    const f = faults.find((x) => x.count > 0 && x.path === path && (!x.method || x.method === method));
    if (!f) return null;
    f.count--;
    faults = faults.filter((x) => x.count > 0);
    return f;
  }

  function faultReply(f) {
    const headers = { ...f.headers };
    if (f.status === 429) {
      const reset = f.reset_at ? new Date(f.reset_at) : new Date(Date.now() + 60_000);
      Object.assign(headers, { 'X-RateLimit-Limit': String(RATE_LIMIT), 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': isoMicros(reset) }, f.headers);
    }
    const defaults = { 401: { error: 'The access token is invalid' }, 429: { error: 'Too many requests' }, 422: { error: 'Validation failed' } };
    if (f.body !== null) return typeof f.body === 'string' ? { status: f.status, text: f.body, headers } : { status: f.status, json: f.body, headers };
    if (f.status >= 500) return { status: f.status, html: page('We\'re sorry, but something went wrong', '<h1>We\'re sorry, but something went wrong on our end.</h1>'), headers };
    return { status: f.status, json: defaults[f.status] ?? { error: `Error ${f.status}` }, headers };
  }

  function admin(method, path, p) {
    try {
      if (method === 'GET' && path === '/__admin/received') return { status: 200, json: snapshot() };
      if (method === 'POST' && path === '/__admin/faults') return { status: 200, json: { fault: addFault(p) } };
      if (method === 'DELETE' && path === '/__admin/faults') {
        faults = [];
        return { status: 200, json: {} };
      }
      if (method === 'POST' && path === '/__admin/config') return { status: 200, json: configure(p) };
      if (method === 'POST' && path === '/__admin/revoke-tokens') return { status: 200, json: { revoked: revokeAllTokens() } };
      if (method === 'POST' && path === '/__admin/forget-apps') return { status: 200, json: { forgotten: forgetApps() } };
      if (method === 'POST' && path === '/__admin/reset') {
        reset();
        return { status: 200, json: {} };
      }
    } catch (e) {
      if (e instanceof ApiError) return { status: e.status, json: e.body };
      throw e;
    }
    return { status: 404, json: { error: 'Unknown admin route' } };
  }

  function snapshot() {
    return JSON.parse(JSON.stringify({
      ...received,
      faults,
      tokens: [...tokens.entries()].map(([access, t]) => ({ access_token: access, ...t })),
      account: { id: accountId, username: config.username },
    }));
  }

  function configure(p) {
    if (p.max_characters !== undefined || p.maxCharacters !== undefined) config.maxCharacters = Number(p.max_characters ?? p.maxCharacters);
    if (p.media_polls !== undefined || p.mediaPolls !== undefined) config.mediaPolls = Number(p.media_polls ?? p.mediaPolls);
    if (p.username !== undefined) config.username = String(p.username);
    if (p.display_name !== undefined || p.displayName !== undefined) config.displayName = String(p.display_name ?? p.displayName);
    return { ...config };
  }

  /** As when the user removes the app in their settings: every token stops working. */
  function revokeAllTokens() {
    let n = 0;
    for (const t of tokens.values()) if (!t.revoked) (t.revoked = true), n++;
    return n;
  }

  /** As Mastodon's cleanup of registrations that never got a token: every app is unknown from now on. */
  function forgetApps() {
    const n = apps.size;
    apps.clear();
    return n;
  }

  /** Forgets what was received and the pending faults (apps, tokens and statuses stay). */
  function reset() {
    faults = [];
    received = emptyReceived();
  }

  return {
    url: base,
    host,
    accountId,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
    received: snapshot,
    inject: (fault) => addFault(fault),
    configure,
    revokeAllTokens,
    forgetApps,
    reset,
  };
}

// -----------------------------------------------------------------------------------------------
// Parsing helpers

/** Request parameters from the query, a JSON body, a form or a multipart body (Rails-style `k[]` arrays). */
function parseParams(req, raw, url) {
  const out = {};
  const add = (k, v) => {
    if (k.endsWith('[]')) {
      const key = k.slice(0, -2);
      (out[key] ??= []).push(v);
    } else out[k] = v;
  };
  for (const [k, v] of url.searchParams) add(k, v);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/json') && raw.length) {
    try {
      const body = JSON.parse(raw.toString('utf8'));
      if (body && typeof body === 'object') Object.assign(out, body);
    } catch {
      throw new ApiError(400, 'Malformed JSON body');
    }
  } else if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) add(k, v);
  } else if (type.startsWith('multipart/form-data')) {
    const b = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
    if (b) for (const part of parseMultipart(raw, b[1] ?? b[2])) if (part.filename === undefined) add(part.name, part.data.toString('utf8'));
  }
  return out;
}

/** The parts of a multipart/form-data body: { name, filename?, contentType?, data }. */
function parseMultipart(raw, boundary) {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts = [];
  let at = raw.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, start);
    if (next === -1) break;
    const chunk = raw.subarray(start + 2, next - 2); // past CRLF, before the CRLF ahead of the delimiter
    const split = chunk.indexOf('\r\n\r\n');
    if (split !== -1) {
      const head = chunk.subarray(0, split).toString('utf8');
      const disposition = /content-disposition:[^\r\n]*/i.exec(head)?.[0] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
      const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
      const contentType = /content-type:\s*([^\r\n;]+)/i.exec(head)?.[1]?.trim();
      if (name !== undefined) parts.push({ name, filename, contentType, data: chunk.subarray(split + 4) });
    }
    at = next;
  }
  return parts;
}

function str(v) {
  return v === undefined || v === null ? '' : String(Array.isArray(v) ? v[0] : v);
}

function list(v) {
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v : [v];
}

function splitScopes(v) {
  return (Array.isArray(v) ? v.join(' ') : String(v)).split(/[\s+]+/).filter(Boolean);
}

function isAbsoluteUri(u) {
  try {
    return Boolean(new URL(u).protocol);
  } catch {
    return false;
  }
}

/** ISO 8601 with microseconds, as Mastodon writes X-RateLimit-Reset. */
function isoMicros(date) {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main>${body}</main></body></html>`;
}

// -----------------------------------------------------------------------------------------------
// CLI

function flag(args, name) {
  const i = args.indexOf(name);
  return i !== -1 ? args[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const num = (name) => (flag(args, name) !== undefined ? Number(flag(args, name)) : undefined);
  const fake = await start({
    port: num('--port'), maxCharacters: num('--max-characters'), mediaPolls: num('--media-polls'), username: flag(args, '--username'),
  });
  const stop = () => fake.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  let piped = false;
  try {
    const stdin = fstatSync(0);
    piped = stdin.isFIFO() || stdin.isSocket();
  } catch { /* no stdin */ }
  if (piped) {
    process.stdin.on('end', stop);
    process.stdin.resume();
  }
  process.stdout.write(JSON.stringify({ url: fake.url }) + '\n');
}
