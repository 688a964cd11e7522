-- How long a post's text is, as the database decides it (private.post_text_length and
-- post_text_fits), with the cases src/domain/caption.rs asserts on its side. Which cap catches what:
--   * Bluesky's 300 is counted in code points: a ZWJ family (1 grapheme, 7 code points) or a flag
--     (1 grapheme, 2 code points) weighs more than on Bluesky, so the check is cautious;
--   * Bluesky's 3,000-byte cap cannot bite under 300 code points (at most 4 bytes each, 1,200):
--     it is shown here with a larger character limit, where 751 fox emoji (3,004 bytes) fail by
--     bytes alone;
--   * Mastodon counts every http(s) URL as 23, however long, and an account's own caption_max
--     (its instance's max_characters) replaces the platform's 500.
begin;
\ir setup/helpers.sql
select * from no_plan();

-- The samples
select results_eq($$ values (private.post_text_length('Café 🦊', false, null), private.post_text_length('Café 🦊', true, null),
                             private.post_text_length('👨‍👩‍👧‍👦', false, null), private.post_text_length('👨‍👩‍👧‍👦', true, null),
                             private.post_text_length('🇩🇪', false, null), private.post_text_length('🇩🇪', true, null)) $$,
  $$ values (6, 10, 7, 25, 2, 8) $$, 'code points and bytes of an accented word with an emoji, a ZWJ family, a flag');
select is(private.post_text_length('', false, 23), 0, 'an empty text is 0');
select is(private.post_text_length(null, false, 23), 0, 'no text is 0');

-- URLs (Mastodon's weight)
select is(private.post_text_length('Look https://example.com/' || repeat('a', 580), false, 23), 28,
  'a 600-character URL counts 23 (plus "Look ")');
select is(private.post_text_length('Look https://example.com/' || repeat('a', 580), false, null), 605,
  'without a URL weight it counts as written');
select is(private.post_text_length('http://a.b/c and https://d.e', false, 23), 51, 'http and https URLs each count 23');
select is(private.post_text_length('https://x.test/a' || E'\u00a0' || 'b', false, 23), 25,
  'a URL ends at a no-break space (any Unicode White_Space)');
select is(private.post_text_length('https://x.test/a' || E'\u3000' || 'b', false, 23), 25,
  'a URL ends at an ideographic space');
select is(private.post_text_length('https://x.test/a,b.', false, 23), 23, 'punctuation up to the next space belongs to the URL');
select is(private.post_text_length('ftp://x.test', false, 23), 12, 'another scheme is plain text');
select is(private.post_text_length('https:// x', false, 23), 10, 'a bare https:// is plain text');
select is(private.post_text_length('🦊 https://x.test', true, 23), 28, 'bytes mode: the text around URLs in bytes, each URL 23');

-- Bluesky: 300 code points and 3,000 bytes
create function tests.fits_bluesky(p_text text) returns boolean language sql as $$
  select private.post_text_fits(p_text, l.caption_max, l.caption_counts_bytes, l.caption_max_bytes, l.url_length)
  from public.platform_limits l where l.platform = 'bluesky' $$;
select ok(tests.fits_bluesky(repeat('a', 300)), 'Bluesky: 300 characters fit');
select ok(not tests.fits_bluesky(repeat('a', 301)), 'Bluesky: 301 do not');
select ok(tests.fits_bluesky(repeat('👨‍👩‍👧‍👦', 42)), 'Bluesky: 42 ZWJ families (294 code points) fit');
select ok(not tests.fits_bluesky(repeat('👨‍👩‍👧‍👦', 43)),
  'Bluesky: 43 ZWJ families (301 code points, 43 graphemes) do not: code points are the cautious count');
select ok(tests.fits_bluesky(repeat('🇩🇪', 150)), 'Bluesky: 150 flags (300 code points) fit');
select ok(not tests.fits_bluesky(repeat('🇩🇪', 151)), 'Bluesky: 151 flags do not');
select ok(tests.fits_bluesky(repeat('🦊', 300)), 'Bluesky: 300 emoji (1,200 bytes) fit: the byte cap cannot bite below 300 code points');
select ok(not tests.fits_bluesky('https://example.com/' || repeat('a', 281)), 'Bluesky: a URL counts as written (301)');
select ok(private.post_text_fits(repeat('🦊', 750), 1000, false, 3000, null), 'the byte cap: 3,000 bytes fit');
select ok(not private.post_text_fits(repeat('🦊', 751), 1000, false, 3000, null),
  'the byte cap: 3,004 bytes do not, though 751 code points are under the character limit');
select ok(private.post_text_fits(repeat('🦊', 751), 1000, false, null, null), 'no byte cap: 751 emoji fit 1,000 characters');

-- Mastodon: URLs weigh 23; the account's own limit
create function tests.fits_mastodon(p_text text, p_account_max integer) returns boolean language sql as $$
  select private.post_text_fits(p_text, coalesce(p_account_max, l.caption_max), l.caption_counts_bytes,
                                l.caption_max_bytes, l.url_length)
  from public.platform_limits l where l.platform = 'mastodon' $$;
select ok(tests.fits_mastodon(repeat('x', 476) || ' https://example.com/' || repeat('a', 580), null),
  'Mastodon: 476 characters, a space and a 600-character URL make 500 and fit');
select ok(not tests.fits_mastodon(repeat('x', 477) || ' https://example.com/' || repeat('a', 580), null),
  'Mastodon: one more character makes 501 and does not');
select ok(not tests.fits_mastodon(repeat('x', 800), null), 'Mastodon: 800 characters exceed the platform''s 500');
select ok(tests.fits_mastodon(repeat('x', 800), 1000), 'Mastodon: an account whose instance allows 1,000 takes 800');
select ok(tests.fits_mastodon(repeat('👨‍👩‍👧‍👦', 71), null) and not tests.fits_mastodon(repeat('👨‍👩‍👧‍👦', 72), null),
  'Mastodon: ZWJ families count their code points (71 × 7 = 497 fit, 504 do not)');

-- Threads keeps counting bytes
select ok(private.post_text_fits(repeat('🦊', 125), 500, true, null, null)
          and not private.post_text_fits(repeat('🦊', 126), 500, true, null, null),
  'Threads: 125 fox emoji (500 bytes) fit, 126 (504) do not');

-- Through publish_generation: the account's own limit and the URL weight
insert into public.connected_accounts (id, user_id, platform, handle, status, remote_id, service_url, caption_max) values
  ('aaaaaaaa-0000-4000-8000-0000000000c2', 'aaaaaaaa-0000-4000-8000-000000000000', 'mastodon', 'ana@masto.example', 'active',
   '1@masto.example', 'https://masto.example', null),
  ('aaaaaaaa-0000-4000-8000-0000000000c4', 'aaaaaaaa-0000-4000-8000-000000000000', 'mastodon', 'ana@long.example', 'active',
   '7@long.example', 'https://long.example', 1000),
  ('aaaaaaaa-0000-4000-8000-0000000000c1', 'aaaaaaaa-0000-4000-8000-000000000000', 'bluesky', 'ana.bsky.social', 'active',
   'did:plc:ana', 'https://pds.example', null);
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select throws_ok($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000c2']::uuid[], repeat('x', 800), '{}') $$,
  '22023', 'The text is too long for mastodon (500 max)', 'publish: 800 characters are refused on a 500-character instance');
select results_eq($$ select status::text from public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000c4']::uuid[], repeat('x', 800), '{}') $$,
  array['publishing'], 'publish: the same 800 characters go to an account whose instance allows 1,000');
select throws_ok($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000c4']::uuid[], repeat('x', 1001), '{}') $$,
  '22023', 'The text is too long for mastodon (1000 max)', 'publish: the account''s own limit is the one named');
select results_eq($$ select status::text from public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000c2']::uuid[], repeat('x', 470) || ' https://example.com/' || repeat('a', 580),
    array['#fox']) $$,
  array['publishing'], 'publish: a long URL counts 23 on Mastodon (470 + 1 + 23 + 2 + 4 = 500)');
select results_eq($$ select status::text from public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000c1']::uuid[], repeat('🇩🇪', 144), array['#fox', '#dawn']) $$,
  array['publishing'], 'publish: 144 flags, a blank line and two tags make 300 code points and fit Bluesky');
select throws_ok($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000c1']::uuid[], repeat('🇩🇪', 145), array['#fox', '#dawn']) $$,
  '22023', 'The text is too long for bluesky (300 max)', 'publish: 302 code points do not');

-- The byte cap's own message, with a Bluesky whose character limit let 751 emoji through
select tests.as_runner();
update public.platform_limits set caption_max = 1000 where platform = 'bluesky';
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select throws_ok($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000c1']::uuid[], repeat('🦊', 751), '{}') $$,
  '22023', 'The text is too long for bluesky (3000 bytes max)', 'publish: over the byte cap is refused, naming bytes');
select results_eq($$ select status::text from public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000c1']::uuid[], repeat('🦊', 750), '{}') $$,
  array['publishing'], 'publish: exactly 3,000 bytes go');

select * from finish();
rollback;
