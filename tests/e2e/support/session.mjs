// The session the app keeps in localStorage (key atelier.auth): read it, and age it so the app
// must refresh it.

/** The localStorage key the app stores its session under. */
export const AUTH_KEY = 'atelier.auth';

/** The stored session of `page` (null when signed out). */
export function storedSession(page) {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null'), AUTH_KEY);
}

/** The signed-in creator's access token, as the app stored it. */
export async function tokenOf(page) {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key)).access_token, AUTH_KEY);
}

/** The signed-in creator's user id, as the app stored it. */
export async function userIdOf(page) {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key)).user.id, AUTH_KEY);
}

/**
 * Rewrites the stored session's expiry to `seconds` from now (negative: already expired),
 * keeping its refresh token, as if the token had been issued long ago.
 */
export function expireSessionIn(page, seconds) {
  return page.evaluate(([key, s]) => {
    const session = JSON.parse(localStorage.getItem(key));
    session.expires_at = Math.floor(Date.now() / 1000) + s;
    localStorage.setItem(key, JSON.stringify(session));
  }, [AUTH_KEY, seconds]);
}

/**
 * Waits until `page` stores a session whose refresh token is not `old` (the app refreshed it);
 * `options` go to waitForFunction (timeout). Returns the new stored session.
 */
export async function refreshTokenChanged(page, old, options = {}) {
  await page.waitForFunction(([key, previous]) => {
    const s = JSON.parse(localStorage.getItem(key) ?? 'null');
    return s && s.refresh_token !== previous;
  }, [AUTH_KEY, old], options);
  return storedSession(page);
}
