// The grid floor: what the app's grid does with no framework. It reads the session the app
// keeps in localStorage (atelier.auth), asks /rest/v1/generations for the session in
// ?session=<id> with the app's own query (select=*, newest first, an exact count, a first
// page of 48 rows and then pages of 200, as src/services/sessions/generations.rs reads them),
// and appends each page as plain DOM cards as it arrives. Served as a file:
// the app's CSP allows no inline script.
(async () => {
  const FIRST_PAGE_SIZE = 48;
  const PAGE_SIZE = 200;
  const { supabaseUrl, supabaseAnonKey } = window.ATELIER_CONFIG;
  const session = JSON.parse(localStorage.getItem('atelier.auth') ?? 'null');
  const id = new URLSearchParams(location.search).get('session');
  const list = document.querySelector('section[aria-label="Results"] ul');
  if (!session?.access_token || !id) throw new Error('floor: no stored session or no ?session=');

  const card = (row) => {
    const li = document.createElement('li');
    li.dataset.generationId = row.id;
    const img = document.createElement('img');
    img.src = row.thumbnail_url ?? row.media_url ?? '';
    img.width = row.width ?? 1024;
    img.height = row.height ?? 1024;
    img.alt = row.prompt;
    img.loading = 'lazy';
    img.decoding = 'async';
    const prompt = document.createElement('p');
    prompt.textContent = row.prompt;
    li.append(img, prompt);
    return li;
  };

  const query = new URLSearchParams({ select: '*', session_id: `eq.${id}`, order: 'created_at.desc,id.desc' });
  let from = 0;
  for (;;) {
    const size = from === 0 ? FIRST_PAGE_SIZE : PAGE_SIZE;
    const res = await fetch(`${supabaseUrl}/rest/v1/generations?${query}`, {
      headers: {
        apikey: supabaseAnonKey,
        authorization: `Bearer ${session.access_token}`,
        'range-unit': 'items',
        range: `${from}-${from + size - 1}`,
        prefer: 'count=exact',
      },
    });
    if (!res.ok) throw new Error(`floor: /rest/v1/generations answered ${res.status} ${await res.text()}`);
    const rows = await res.json();
    const fragment = document.createDocumentFragment();
    for (const row of rows) fragment.append(card(row));
    list.append(fragment);
    from += rows.length;
    const total = Number(res.headers.get('content-range')?.split('/')[1]);
    if (!rows.length || !(Number.isFinite(total) ? from < total : rows.length === size)) break;
  }
})().catch((err) => {
  window.__floorError = String(err?.message ?? err);
});
