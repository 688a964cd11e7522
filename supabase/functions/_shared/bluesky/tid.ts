// Record keys as timestamp identifiers (https://atproto.com/specs/tid): 64 bits — a zero bit,
// 53 bits of microseconds since the Unix epoch, 10 bits of clock id — written as 13 characters
// of base32-sortable, so keys sort by time.

const ALPHABET = "234567abcdefghijklmnopqrstuvwxyz";
export const TID_PATTERN = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;

let lastMicros = 0n;

/** A new TID for `now`; strictly increasing within this process, with a random clock id. */
export function makeTid(now: Date = new Date(), clockId = Math.floor(Math.random() * 1024)): string {
  let micros = BigInt(now.getTime()) * 1000n;
  if (micros <= lastMicros) micros = lastMicros + 1n;
  lastMicros = micros;
  let value = (micros << 10n) | BigInt(clockId & 1023);
  let out = "";
  for (let i = 0; i < 13; i++) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

/** The time a TID was made (to the microsecond, as a Date to the millisecond). */
export function tidTime(tid: string): Date {
  let value = 0n;
  for (const c of tid) value = (value << 5n) | BigInt(ALPHABET.indexOf(c));
  return new Date(Number((value >> 10n) / 1000n));
}
