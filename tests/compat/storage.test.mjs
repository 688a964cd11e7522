// supabase-js storage against the local stack: the generated_assets bucket and its per-user
// folder policies, as the app uses them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anonClient, newUser, serviceClient } from './client.mjs';

const BUCKET = 'generated_assets';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x01]);

async function uploadPng(client, path, bytes = PNG) {
  const { data, error } = await client.storage.from(BUCKET).upload(path, bytes, { contentType: 'image/png' });
  assert.equal(error, null);
  return data;
}

test('upload returns path and fullPath, download returns the same bytes and type', async () => {
  const { client, user } = await newUser('st-up');
  const path = `${user.id}/g1/a.png`;
  const data = await uploadPng(client, path);
  assert.equal(data.path, path);
  assert.equal(data.fullPath, `${BUCKET}/${path}`);
  assert.match(data.id, /^[0-9a-f-]{36}$/);
  const dl = await client.storage.from(BUCKET).download(path);
  assert.equal(dl.error, null);
  assert.equal(dl.data.type, 'image/png');
  assert.deepEqual(new Uint8Array(await dl.data.arrayBuffer()), PNG);
});

test('a Blob upload (multipart form) keeps its content type', async () => {
  const { client, user } = await newUser('st-blob');
  const path = `${user.id}/blob/a.webp`;
  const { error } = await client.storage.from(BUCKET).upload(path, new Blob([PNG], { type: 'image/webp' }));
  assert.equal(error, null);
  const dl = await client.storage.from(BUCKET).download(path);
  assert.equal(dl.data.type, 'image/webp');
  assert.deepEqual(new Uint8Array(await dl.data.arrayBuffer()), PNG);
});

test('a second upload to the same path fails with 409 unless upsert', async () => {
  const { client, user } = await newUser('st-dup');
  const path = `${user.id}/dup.png`;
  await uploadPng(client, path);
  const again = await client.storage.from(BUCKET).upload(path, PNG, { contentType: 'image/png' });
  assert.equal(again.error.statusCode, '409');
  assert.equal(again.error.status, 400);
  const upsert = await client.storage.from(BUCKET).upload(path, new Uint8Array([1, 2]), { contentType: 'image/png', upsert: true });
  assert.equal(upsert.error, null);
});

test('getPublicUrl gives a URL a plain fetch can read without any key', async () => {
  const { client, user } = await newUser('st-pub');
  const path = `${user.id}/pub/a.png`;
  await uploadPng(client, path);
  const { data } = client.storage.from(BUCKET).getPublicUrl(path);
  const res = await fetch(data.publicUrl);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), PNG);
});

test('createSignedUrl gives a URL a plain fetch can read; a tampered one is refused', async () => {
  const { client, user } = await newUser('st-sign');
  const path = `${user.id}/sign/a.png`;
  await uploadPng(client, path);
  const { data, error } = await client.storage.from(BUCKET).createSignedUrl(path, 60);
  assert.equal(error, null);
  const res = await fetch(data.signedUrl);
  assert.equal(res.status, 200);
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), PNG);
  const bad = await fetch(data.signedUrl.replace('/sign/a.png', '/sign/b.png'));
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).statusCode, '400');
  const many = await client.storage.from(BUCKET).createSignedUrls([path, `${user.id}/sign/none.png`], 60);
  assert.equal(many.error, null);
  assert.equal((await fetch(many.data[0].signedUrl)).status, 200);
  assert.equal(many.data[1].signedUrl, null);
});

test('list shows one folder level, and another user sees nothing in it', async () => {
  const { client, user } = await newUser('st-list');
  await uploadPng(client, `${user.id}/g1/a.png`);
  await uploadPng(client, `${user.id}/g1/b.png`);
  await uploadPng(client, `${user.id}/g2/c.png`);
  const top = await client.storage.from(BUCKET).list(user.id);
  assert.equal(top.error, null);
  assert.deepEqual(top.data.map((o) => [o.name, o.id]), [['g1', null], ['g2', null]]);
  const files = await client.storage.from(BUCKET).list(`${user.id}/g1`, { sortBy: { column: 'name', order: 'desc' } });
  assert.deepEqual(files.data.map((o) => o.name), ['b.png', 'a.png']);
  assert.equal(files.data[0].metadata.mimetype, 'image/png');
  const { client: other } = await newUser('st-list-other');
  const theirs = await other.storage.from(BUCKET).list(user.id);
  assert.deepEqual(theirs.data, []);
});

test('remove deletes the objects and returns them', async () => {
  const { client, user } = await newUser('st-rm');
  const path = `${user.id}/rm/a.png`;
  await uploadPng(client, path);
  const { data, error } = await client.storage.from(BUCKET).remove([path]);
  assert.equal(error, null);
  assert.deepEqual(data.map((o) => o.name), [path]);
  const dl = await client.storage.from(BUCKET).download(path);
  assert.notEqual(dl.error, null);
  const res = await fetch(client.storage.from(BUCKET).getPublicUrl(path).data.publicUrl);
  assert.equal(res.status, 400);
  assert.equal((await res.json()).statusCode, '404');
});

test("another user's upload into your folder is refused with 403", async () => {
  const { user } = await newUser('st-victim');
  const { client: intruder } = await newUser('st-intruder');
  const { error } = await intruder.storage.from(BUCKET).upload(`${user.id}/x/evil.png`, PNG, { contentType: 'image/png' });
  assert.equal(error.statusCode, '403');
  assert.match(error.message, /row-level security/);
  const anonUpload = await anonClient().storage.from(BUCKET).upload(`${user.id}/x/anon.png`, PNG, { contentType: 'image/png' });
  assert.equal(anonUpload.error.statusCode, '403');
});

test('a mime type the bucket does not allow is refused with 415', async () => {
  const { client, user } = await newUser('st-mime');
  const { error } = await client.storage.from(BUCKET).upload(`${user.id}/a.txt`, 'hello', { contentType: 'text/plain' });
  assert.equal(error.statusCode, '415');
});

test('listBuckets and getBucket with the service role see generated_assets', async () => {
  const service = serviceClient();
  const { data, error } = await service.storage.listBuckets();
  assert.equal(error, null);
  const bucket = data.find((b) => b.id === BUCKET);
  assert.equal(bucket.public, true);
  const one = await service.storage.getBucket(BUCKET);
  assert.equal(one.error, null);
  assert.deepEqual(one.data.allowed_mime_types, ['image/png', 'image/jpeg', 'image/webp', 'video/mp4', 'video/webm']);
});
