// The page's realtime socket under the test's control: every socket to /realtime goes through
// Playwright's WebSocket route, so a journey can cut it, refuse reconnects, and let it back.
import { until } from './wait.mjs';

const DOWN = { code: 4000, reason: 'test: network down' };

/**
 * Routes `page`'s realtime sockets through the test (call before the page connects). Returns
 * `{ connected, goDown, comeBack }`: wait for a first socket; close every socket and refuse
 * reconnects; wait for a refused reconnect attempt, then let the next one in and wait for it.
 */
export async function controlRealtime(page) {
  const sockets = [];
  let down = false;
  let refused = 0;
  let before = 0;
  await page.routeWebSocket(/realtime/, (ws) => {
    if (down) {
      refused += 1;
      ws.close(DOWN);
      return;
    }
    sockets.push({ ws, server: ws.connectToServer() });
  });
  return {
    connected: () => until(() => sockets.length > 0, { what: 'a realtime socket' }),
    async goDown() {
      down = true;
      before = sockets.length;
      for (const { ws } of sockets) await ws.close(DOWN);
    },
    async comeBack() {
      // The client notices and tries to come back; let it in.
      await until(() => refused > 0, { timeout: 10_000, what: 'a reconnect attempt while down' });
      down = false;
      await until(() => sockets.length > before, { timeout: 20_000, what: 'the client to reconnect' });
    },
  };
}
