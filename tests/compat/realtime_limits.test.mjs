// supabase-js realtime against the per-socket channel limit: hosted Realtime's default
// max_channels_per_client is 100, and the 101st channel of one client fails to subscribe
// with ChannelRateLimitReached; removing a channel frees its place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anonClient } from './client.mjs';

/** Subscribes a plain channel; resolves with [status, error message]. */
function subscribe(channel) {
  return new Promise((resolve) => {
    channel.subscribe((status, err) => {
      if (status === 'SUBSCRIBED' || status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') {
        resolve([status, err?.message ?? '']);
      }
    });
  });
}

test('the 101st channel of one client is refused with ChannelRateLimitReached', async () => {
  const client = anonClient();
  try {
    const channels = Array.from({ length: 100 }, (_, i) => client.channel(`limit-${i}`));
    const joined = await Promise.all(channels.map(subscribe));
    assert.deepEqual(new Set(joined.map(([s]) => s)), new Set(['SUBSCRIBED']));

    const [status, message] = await subscribe(client.channel('limit-over'));
    assert.equal(status, 'CHANNEL_ERROR');
    assert.match(message, /ChannelRateLimitReached: Too many channels/);

    await client.removeChannel(channels[0]);
    const [again] = await subscribe(client.channel('limit-again'));
    assert.equal(again, 'SUBSCRIBED');
  } finally {
    await client.removeAllChannels();
  }
});
