// Platform tokens at rest: AES-256-GCM (WebCrypto) with the key in the ATELIER_TOKEN_KEY
// function secret, so a database dump or a leaked backup holds no usable token. A sealed value
// is text `v1.<base64 iv>.<base64 ciphertext>` (a fresh 96-bit IV each time; GCM's tag is part
// of the ciphertext, so a changed or swapped value fails to open rather than decrypting to junk).
import { HttpError } from "./cors.ts";

const VERSION = "v1";
const KEY_ENV = "ATELIER_TOKEN_KEY";

/** A sealed value that cannot be opened: another key sealed it, or it was altered. */
export class UnreadableToken extends Error {}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function unbase64(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const imported = new Map<string, Promise<CryptoKey>>();

/** The AES key from ATELIER_TOKEN_KEY, or a 503 that names the secret to set. */
function tokenKey(keyText: string | undefined): Promise<CryptoKey> {
  if (!keyText?.trim()) {
    throw new HttpError(
      503,
      `Set the ${KEY_ENV} function secret (base64 of 32 random bytes, e.g. \`openssl rand -base64 32\`) so Atelier can store account tokens encrypted.`,
    );
  }
  let raw: Uint8Array<ArrayBuffer>;
  try {
    raw = unbase64(keyText.trim());
  } catch {
    raw = new Uint8Array();
  }
  if (raw.length !== 32) {
    throw new HttpError(
      503,
      `The ${KEY_ENV} function secret must be base64 of exactly 32 bytes (e.g. \`openssl rand -base64 32\`).`,
    );
  }
  let key = imported.get(keyText);
  if (!key) {
    key = crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    imported.set(keyText, key);
  }
  return key;
}

/** Encrypts a token for storage. `keyText` defaults to the ATELIER_TOKEN_KEY secret. */
export async function sealToken(plain: string, keyText = Deno.env.get(KEY_ENV)): Promise<string> {
  const key = await tokenKey(keyText);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(plain)),
  );
  return `${VERSION}.${base64(iv)}.${base64(sealed)}`;
}

/** Decrypts a value `sealToken` made; `UnreadableToken` when it was sealed with another key or altered. */
export async function openToken(sealed: string, keyText = Deno.env.get(KEY_ENV)): Promise<string> {
  const key = await tokenKey(keyText);
  const [version, ivText, dataText, ...rest] = sealed.split(".");
  if (version !== VERSION || !ivText || !dataText || rest.length) {
    throw new UnreadableToken("A stored token is not in the expected format: reconnect the account.");
  }
  try {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: unbase64(ivText) }, key, unbase64(dataText));
    return new TextDecoder().decode(plain);
  } catch {
    throw new UnreadableToken(
      `A stored token cannot be decrypted (was ${KEY_ENV} changed since it was stored?): reconnect the account.`,
    );
  }
}
