// Data for the measurements, arranged through the local stack's HTTP API as a server would:
// users sign up through Auth, generations are written with the service role (as the
// generate-media function writes them), media go to the public bucket.
import { gradientPng } from './png.mjs';

export class Stack {
  constructor({ apiUrl, anonKey, serviceKey }) {
    Object.assign(this, { apiUrl, anonKey, serviceKey });
  }

  async call(method, path, { token, body, headers = {}, raw } = {}) {
    const key = token === 'service' ? this.serviceKey : this.anonKey;
    const res = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: {
        apikey: key,
        authorization: `Bearer ${token && token !== 'service' ? token : key}`,
        ...(raw ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : null;
  }

  /** A new user, signed in: the GoTrue session the app keeps in localStorage (atelier.auth). */
  async newUser(who) {
    const email = `bench-${who}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@bench.test`;
    const session = await this.call('POST', '/auth/v1/signup', { body: { email, password: 'bench-pass-1' } });
    session.expires_at ??= Math.floor(Date.now() / 1000) + session.expires_in;
    return { email, password: 'bench-pass-1', session, id: session.user.id, token: session.access_token };
  }

  async newSession(user, title) {
    const [row] = await this.call('POST', '/rest/v1/sessions', {
      token: user.token, body: { title }, headers: { prefer: 'return=representation' },
    });
    return row;
  }

  /** Uploads one small PNG to the user's folder and returns its stable public URL. */
  async uploadImage(user) {
    const path = `${user.id}/bench/gradient.png`;
    await this.call('POST', `/storage/v1/object/generated_assets/${path}`, {
      token: 'service', raw: gradientPng(), headers: { 'content-type': 'image/png', 'x-upsert': 'true' },
    });
    return { path, url: `${this.apiUrl}/storage/v1/object/public/generated_assets/${path}`, width: 256, height: 256 };
  }

  /** `count` completed image generations in a session, all showing one image; returns their rows. */
  async completedGenerations(user, session, image, count, prompt = (i) => `bench card ${String(i).padStart(4, '0')}`) {
    const base = Date.now() - count * 1000;
    const rows = Array.from({ length: count }, (_, i) => ({
      session_id: session.id, user_id: user.id, kind: 'image', prompt: prompt(i), status: 'completed',
      media_path: image.path, media_url: image.url, thumbnail_url: image.url,
      width: image.width, height: image.height, provider: 'demo', model: 'bench',
      params: { aspect_ratio: '1:1', count: 1 },
      created_at: new Date(base + i * 1000).toISOString(), completed_at: new Date(base + i * 1000).toISOString(),
    }));
    // Bulk inserts of 1,000 rows (the stack takes request bodies up to 1 MB): 10,000 in ten requests.
    const out = [];
    for (let i = 0; i < rows.length; i += 1000) {
      out.push(...await this.call('POST', '/rest/v1/generations?select=id,prompt', {
        token: 'service', body: rows.slice(i, i + 1000), headers: { prefer: 'return=representation' },
      }));
    }
    return out;
  }

  /** Sets the status of every generation `filter` (a PostgREST query, e.g. `id=in.(…)`) selects, in one request. */
  async setStatusWhere(filter, status) {
    await this.call('PATCH', `/rest/v1/generations?${filter}`, {
      token: 'service', body: { status }, headers: { prefer: 'return=minimal' },
    });
  }

  /** Sets a generation's status as the server side does; resolves once it is committed. */
  async setStatus(id, status) {
    await this.call('PATCH', `/rest/v1/generations?id=eq.${id}`, {
      token: 'service', body: { status }, headers: { prefer: 'return=minimal' },
    });
  }
}

/**
 * A user with one session of `count` completed generations (one image) and the grid floor's
 * pages for it, made once per bench run and shared by the measurements that load it.
 */
export function sharedSession(ctx, count) {
  ctx.sessions ??= new Map();
  if (!ctx.sessions.has(count)) {
    ctx.sessions.set(count, (async () => {
      const user = await ctx.stack.newUser(`s${count}`);
      const session = await ctx.stack.newSession(user, `${count} generations`);
      const image = await ctx.stack.uploadImage(user);
      const rows = await ctx.stack.completedGenerations(user, session, image, count);
      return { user, session, image, rows, path: `/app/generate/${session.id}` };
    })());
  }
  return ctx.sessions.get(count);
}
