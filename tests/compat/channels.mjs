// Realtime helpers for the compatibility suite: supabase-js clients on either wire format,
// channels that record their postgres_changes events, and waits for a positive signal.
//
// "Nothing leaked" is never proven by waiting a while: a test commits a sentinel change the
// subscriber may see after the change it must not see, and reads the events through the
// sentinel. Realtime delivers a subscription's changes in commit order (the local stack sends
// every change of a socket in commit order), so anything leaked would have arrived first.
import assert from 'node:assert/strict';
import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { API_URL, ANON_KEY, uniqueEmail } from './client.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A `ws` transport that also records every text frame the socket receives, decoded. */
function recordingTransport(frames) {
  return class RecordingWebSocket extends WebSocket {
    constructor(...args) {
      super(...args);
      this.on('message', (data, isBinary) => {
        if (isBinary) return;
        const m = JSON.parse(String(data));
        // vsn 2.0.0: [join_ref, ref, topic, event, payload]; vsn 1.0.0: an object.
        frames.push(Array.isArray(m) ? { topic: m[2], event: m[3], payload: m[4] } : m);
      });
    }
  };
}

/** Every client made here, so that a file can close their sockets even after a failure. */
const opened = new Set();

/** A client with no session on wire format `vsn`; with `frames`, its socket's frames land there. */
export function realtimeClient(vsn, frames) {
  const client = createClient(API_URL, ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: frames ? recordingTransport(frames) : WebSocket, vsn },
  });
  opened.add(client);
  return client;
}

/** Leaves every channel and closes every socket of the clients made here (an open socket's
 *  heartbeat would keep the test process alive). For `after()`. */
export async function closeRealtimeClients() {
  await Promise.all([...opened].map((c) => c.removeAllChannels()));
  opened.clear();
}

/** Signs a new user up on a `realtimeClient`. */
export async function realtimeUser(vsn, frames) {
  const client = realtimeClient(vsn, frames);
  const { data, error } = await client.auth.signUp({ email: uniqueEmail('rt'), password: 'compat-pass-1' });
  if (error) throw error;
  return { client, user: data.user };
}

/** Subscribes `bindings` ([filter, name]) on a new channel; resolves once SUBSCRIBED. */
export async function listen(c, bindings) {
  const events = [];
  let channel = c.channel(`t-${Math.random().toString(36).slice(2)}`);
  for (const [filter, name] of bindings) {
    channel = channel.on('postgres_changes', filter, (p) => events.push({ name, ...p }));
  }
  await new Promise((resolve, reject) => {
    channel.subscribe((status, err) => {
      if (status === 'SUBSCRIBED') resolve();
      else if (status !== 'CLOSED') reject(err ?? new Error(status));
    });
  });
  return { channel, events };
}

/** Waits until `pred` holds for some event (or fails after 5 s). */
export async function waitFor(events, pred, what) {
  return events[await indexOf(events, pred, what)];
}

/** Every event up to and including the first one for which `sentinel` holds, once it arrived. */
export async function eventsThrough(events, sentinel, what) {
  return events.slice(0, (await indexOf(events, sentinel, what)) + 1);
}

async function indexOf(events, pred, what) {
  for (let i = 0; i < 100; i++) {
    const at = events.findIndex(pred);
    if (at >= 0) return at;
    await sleep(50);
  }
  assert.fail(`timed out waiting for ${what}; got ${JSON.stringify(events.map((e) => [e.name, e.eventType]))}`);
}

/** The row an event is about: its new record's id, else (DELETE) its old key. */
export const rowId = (e) => e.new?.id ?? e.old?.id;
