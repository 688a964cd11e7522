import { assertEquals, assertRejects } from "../tests/assert.ts";
import { allowedOrigins, checkRedirectUri } from "./redirect.ts";

const env = (vars: Record<string, string>) => ({ get: (name: string) => vars[name] });

Deno.test("allowed origins come from SITE_URL, ADDITIONAL_REDIRECT_URLS and ATELIER_APP_ORIGINS", () => {
  const origins = allowedOrigins(env({
    SITE_URL: "https://atelier.example/",
    ADDITIONAL_REDIRECT_URLS: "https://preview.atelier.example/auth/callback, https://*.atelier.example/**,",
    ATELIER_APP_ORIGINS: "http://127.0.0.1:3999,javascript:alert(1)",
  }));
  assertEquals([...origins].sort(), [
    "http://127.0.0.1:3999",
    "https://atelier.example",
    "https://preview.atelier.example",
  ]);
  assertEquals([...allowedOrigins(env({}))], []);
});

Deno.test("redirect_uri must be an allowed origin + /app/accounts, exactly", async () => {
  const e = env({ SITE_URL: "https://atelier.example", ATELIER_APP_ORIGINS: "http://127.0.0.1:3999" });
  assertEquals(checkRedirectUri("https://atelier.example/app/accounts", e), "https://atelier.example/app/accounts");
  assertEquals(checkRedirectUri(" http://127.0.0.1:3999/app/accounts ", e), "http://127.0.0.1:3999/app/accounts");
  const refused = (value: unknown) => Promise.resolve().then(() => checkRedirectUri(value, e));
  await assertRejects(
    () => refused("https://evil.example/app/accounts"),
    "https://evil.example is not one of this project's app addresses",
  );
  await assertRejects(
    () => refused("https://atelier.example.evil.example/app/accounts"),
    "is not one of this project's app addresses",
  );
  for (
    const bad of [
      "https://atelier.example/app/accounts/",
      "https://atelier.example/app/accounts?x=1",
      "https://atelier.example/app/accounts#f",
      "https://atelier.example/",
      "/app/accounts",
      7,
      null,
    ]
  ) {
    await assertRejects(() => refused(bad), "redirect_uri must be the app's address followed by /app/accounts");
  }
});
