// A creator for the publishing bench, set up as the app would through the stack's HTTP API: a new
// user, one demo image from generate-media, a Bluesky account connected with an app password and
// a Mastodon account connected through the instance's Authorize page.

/** An origin connect-mastodon accepts: config.toml's site_url, which the stack passes as SITE_URL. */
const APP_ORIGIN = (process.env.APP_ORIGIN ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');

export async function demoImage(stack, user) {
  const session = await stack.newSession(user, 'publishing bench');
  const [gen] = await stack.call('POST', '/rest/v1/generations', {
    token: user.token, headers: { prefer: 'return=representation' },
    body: { session_id: session.id, kind: 'image', prompt: 'a harbour at dawn', params: { aspect_ratio: '1:1' } },
  });
  await stack.call('POST', '/functions/v1/generate-media', { token: user.token, body: { generation_ids: [gen.id] } });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [row] = await stack.call('GET', `/rest/v1/generations?id=eq.${gen.id}&select=status,error`, { token: user.token });
    if (row.status === 'completed') return gen.id;
    if (row.status === 'failed' || Date.now() > deadline) throw new Error(`the demo image did not complete: ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function connectBluesky(stack, user, pds) {
  const { account } = await stack.call('POST', '/functions/v1/connect-bluesky', {
    token: user.token, body: { identifier: pds.alice.handle, password: pds.alice.appPassword, service: pds.url },
  });
  return account;
}

/** Presses "Authorize" on the instance's page as a browser submits its form; returns where it sends the browser. */
async function authorize(authorizeUrl) {
  const html = await (await fetch(authorizeUrl)).text();
  const form = [...html.matchAll(/<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/g)].find((m) => m[2].includes('>Authorize</button>'));
  if (!form) throw new Error('no Authorize button on the instance\'s page');
  const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const fields = new URLSearchParams([...form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], unescape(m[2])]));
  const res = await fetch(new URL(form[1], authorizeUrl), { method: 'POST', body: fields, redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`Authorize answered HTTP ${res.status} without a redirect`);
  return new URL(location);
}

export async function connectMastodon(stack, user, mastodon) {
  const { authorize_url: authorizeUrl } = await stack.call('POST', '/functions/v1/connect-mastodon', {
    token: user.token, body: { action: 'start', instance: mastodon.url, redirect_uri: `${APP_ORIGIN}/app/accounts` },
  });
  const back = await authorize(authorizeUrl);
  const { account } = await stack.call('POST', '/functions/v1/connect-mastodon', {
    token: user.token, body: { action: 'finish', state: back.searchParams.get('state'), code: back.searchParams.get('code') },
  });
  return account;
}
