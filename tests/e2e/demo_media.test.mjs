// The demo provider's output, checked where it matters: Chromium plays the demo video and
// decodes the demo image, fetched from their stable public URLs in storage.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { newUser } from '../compat/client.mjs';
import { launch } from './support/chromium.mjs';
import { openPage } from './support/tabs.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Queues one generation for a new user and runs generate-media on it. */
async function generate(kind, params) {
  const { client } = await newUser('media');
  const { data: session } = await client.from('sessions').insert({ title: 'Media check' }).select().single();
  const { data: rows, error } = await client.from('generations')
    .insert({ session_id: session.id, kind, prompt: 'neon koi fish circling in a midnight pond', params })
    .select();
  assert.equal(error, null);
  const invoked = await client.functions.invoke('generate-media', { body: { generation_ids: [rows[0].id] } });
  assert.equal(invoked.error, null);
  const [generation] = invoked.data.generations;
  assert.equal(generation.status, 'completed', generation.error);
  return generation;
}

test('Chromium plays the demo video at the requested aspect ratio', async () => {
  const video = await generate('video', { aspect_ratio: '9:16' });
  assert.ok(video.duration_ms >= 1000, `duration_ms ${video.duration_ms}`);
  const { context, page } = await openPage(browser);
  await page.setContent(`<video id="v" muted playsinline src="${video.media_url}"></video>`);
  const played = await page.evaluate(async () => {
    const v = document.getElementById('v');
    // The data may already be there by the time this runs (HAVE_CURRENT_DATA = 2).
    await new Promise((resolve, reject) => {
      if (v.error) reject(new Error(`video error ${v.error.code}: ${v.error.message}`));
      if (v.readyState >= 2) return resolve();
      v.onloadeddata = resolve;
      v.onerror = () => reject(new Error(`video error ${v.error?.code}: ${v.error?.message}`));
      setTimeout(() => reject(new Error(`no data after 10 s (readyState ${v.readyState})`)), 10_000);
    });
    await v.play();
    await new Promise((resolve) => setTimeout(resolve, 600));
    return { width: v.videoWidth, height: v.videoHeight, duration: v.duration, time: v.currentTime };
  });
  assert.ok(played.height > played.width, `portrait 9:16, got ${played.width}x${played.height}`);
  assert.equal(played.width, video.width);
  assert.equal(played.height, video.height);
  assert.ok(Math.abs(played.duration * 1000 - video.duration_ms) < 250, `duration ${played.duration}s`);
  assert.ok(played.time > 0.2, `playback advanced to ${played.time}s`);
  await context.close();
});

test('Chromium decodes the demo image with the dimensions stored on the row', async () => {
  const image = await generate('image', { aspect_ratio: '4:5' });
  const { context, page } = await openPage(browser);
  await page.setContent(`<img id="i" src="${image.media_url}">`);
  const size = await page.evaluate(async () => {
    const img = document.getElementById('i');
    await img.decode();
    return { width: img.naturalWidth, height: img.naturalHeight };
  });
  assert.deepEqual(size, { width: image.width, height: image.height });
  assert.ok(Math.abs(image.width / image.height - 4 / 5) < 0.01, `4:5, got ${image.width}x${image.height}`);
  await context.close();
});
