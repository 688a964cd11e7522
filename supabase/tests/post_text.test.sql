-- The database's post-text rules, asserted where they bite: through publish_generation, at each
-- platform's limit and one past it. caption.rs and hashtags.rs mirror them with the same samples
-- ('Café 🦊' is 6 characters and 10 bytes, a flag 2 characters, '東京' 2 characters and 6 bytes;
-- the tag samples are hashtags_tests.rs'), so a change to either side that makes them disagree
-- fails one of the two suites. Change both together.
--
-- Units (20261203000700_post_text_length.sql): Unicode code points (char_length), UTF-8 bytes for
-- Threads, each URL at 23 on Mastodon, and at most 3,000 bytes on Bluesky. Bluesky and Mastodon
-- themselves count graphemes; code points are never fewer, so the database is the cautious one.
begin;
\ir setup/helpers.sql
select * from no_plan();

-- compose_post_text (caption.rs: composes_as_the_database_does)
select is(public.compose_post_text('Fox at dawn', array['#fox', '#wildlife']), E'Fox at dawn\n\n#fox #wildlife',
  'caption, blank line, hashtags joined by spaces');
select is(public.compose_post_text('Fox at dawn', '{}'), 'Fox at dawn', 'no hashtags: the caption alone');
select is(public.compose_post_text('', array['#fox', '#wildlife']), '#fox #wildlife', 'no caption: the hashtags alone');
select is(public.compose_post_text('', '{}'), '', 'nothing at all: empty text');
select is(public.compose_post_text(null, null), '', 'nulls are empty');
select is(public.compose_post_text('  ', array['#x']), E'  \n\n#x', 'a blank caption is not trimmed');
select is(public.compose_post_text(E'line one\n', array['#x']), E'line one\n\n\n#x', 'a trailing newline is kept');

-- Ana's accounts on every platform publish_generation measures differently (mock: they publish
-- at once, so an accepted text shows as `published`).
insert into public.connected_accounts (id, user_id, platform, handle, status) values
  ('aaaaaaaa-0000-4000-8000-0000000000e1', 'aaaaaaaa-0000-4000-8000-000000000000', 'bluesky', 'ana.bsky.social', 'mock'),
  ('aaaaaaaa-0000-4000-8000-0000000000e2', 'aaaaaaaa-0000-4000-8000-000000000000', 'mastodon', 'ana@masto.example', 'mock');

-- Publishes Ana's completed image to her mock account on a platform: the statuses of the posts
-- made, or the refusal as "SQLSTATE: message" (nothing is written then).
create function tests.publish_to(p_platform public.platform, p_caption text, p_hashtags text[] default '{}')
returns text language plpgsql as $$
declare
  v_statuses text;
begin
  select string_agg(p.status::text, ',') into v_statuses
  from public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array[(select c.id from public.connected_accounts c
           where c.user_id = 'aaaaaaaa-0000-4000-8000-000000000000' and c.platform = p_platform
             and c.status = 'mock')], p_caption, p_hashtags) p;
  return v_statuses;
exception when others then
  return sqlstate || ': ' || sqlerrm;
end $$;
grant execute on function tests.publish_to(public.platform, text, text[]) to authenticated;
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');

-- X: 280 code points (caption.rs: counts_code_points_like_char_length)
select is(tests.publish_to('x', repeat('Café 🦊', 46) || '🇩🇪' || '東京'), 'published',
  'X: 280 characters (474 bytes) go');
select is(tests.publish_to('x', repeat('Café 🦊', 46) || '🇩🇪' || '東京!'),
  '22023: The text is too long for x (280 max)', 'X: 281 characters are refused');
select is(tests.publish_to('x', repeat('🦊', 268), array['#fox', '#dawn']), 'published',
  'X: 268 emoji, a blank line and "#fox #dawn" make 280 and go');
select is(tests.publish_to('x', repeat('🦊', 269), array['#fox', '#dawn']),
  '22023: The text is too long for x (280 max)', 'X: one more emoji and the hashtags push the text to 281');
select is(tests.publish_to('x', repeat('🦊', 280)), 'published', 'X: 280 emoji alone go');

-- Bluesky: 300 code points (its 3,000-byte cap cannot bite below that: post_text_length.test.sql
-- raises the character limit to reach it)
select is(tests.publish_to('bluesky', repeat('👨‍👩‍👧‍👦', 42), array['#fam']), 'published',
  'Bluesky: 42 emoji families (294 code points), a blank line and "#fam" make 300 and go');
select is(tests.publish_to('bluesky', repeat('👨‍👩‍👧‍👦', 42), array['#fami']),
  '22023: The text is too long for bluesky (300 max)',
  'Bluesky: 301 code points are refused, though only 49 graphemes (the cautious count)');
select is(tests.publish_to('bluesky', repeat('🇩🇪', 150)), 'published', 'Bluesky: 150 flags (300 code points) go');
select is(tests.publish_to('bluesky', repeat('🇩🇪', 150) || 'x'),
  '22023: The text is too long for bluesky (300 max)', 'Bluesky: 301 code points do not');

-- Mastodon: 500 code points, each URL 23
select is(tests.publish_to('mastodon', repeat('東京', 250)), 'published', 'Mastodon: 500 characters (1,500 bytes) go');
select is(tests.publish_to('mastodon', repeat('東京', 250) || '!'),
  '22023: The text is too long for mastodon (500 max)', 'Mastodon: 501 characters are refused');
select is(tests.publish_to('mastodon', repeat('x', 470) || ' https://example.com/' || repeat('a', 580), array['#fox']),
  'published', 'Mastodon: a 600-character URL counts 23 (470 + 1 + 23 + 2 + 4 = 500)');
select is(tests.publish_to('mastodon', repeat('x', 471) || ' https://example.com/' || repeat('a', 580),
    array['#fox']),
  '22023: The text is too long for mastodon (500 max)', 'Mastodon: one more character makes 501');

-- Threads: 500 UTF-8 bytes (caption.rs: threads_counts_utf8_bytes_like_octet_length)
select is(tests.publish_to('threads', repeat('Café 🦊', 49) || 'xxxx', array['#fox']), 'published',
  'Threads: 304 characters but 500 bytes with the hashtag go');
select is(tests.publish_to('threads', repeat('Café 🦊', 49) || 'xxxxx', array['#fox']),
  '22023: The text is too long for threads (500 max)', 'Threads: 501 bytes are refused, at 305 characters');
select is(tests.publish_to('threads', repeat('東京', 83) || 'x'), 'published', 'Threads: 166 kanji and an x (499 bytes) go');

-- Instagram: 2,200 code points
select is(tests.publish_to('instagram', repeat('🇩🇪', 1100)), 'published', 'Instagram: 1,100 flags (2,200 code points) go');
select is(tests.publish_to('instagram', repeat('🇩🇪', 1100) || 'x'),
  '22023: The text is too long for instagram (2200 max)', 'Instagram: 2,201 do not');

-- Hashtags counted in the text (hashtags_tests.rs: finds_tags_in_a_caption_as_the_database_does,
-- tags_in_the_caption_count_toward_the_cap): distinct, case-insensitive, caption and list together.
select is(tests.publish_to('instagram', 'Dawn #fox, #Wild_life! ##x a#b #', array['#c']), 'published',
  'Instagram: #fox, #Wild_life, #x, #b in the caption (leftmost, not overlapping; a bare # is none) and #c make 5');
select is(tests.publish_to('instagram', 'Dawn #fox, #Wild_life! ##x a#b #', array['#c', '#d']),
  '22023: instagram allows at most 5 hashtag(s); this post has 6', 'Instagram: a sixth tag in the list is refused');
select is(tests.publish_to('threads', '#東京 at night'), 'published', 'Threads: a tag in any script is one tag');
select is(tests.publish_to('threads', '#東京 at night #2026🎉'),
  '22023: threads allows at most 1 hashtag(s); this post has 2', 'Threads: "#2026" before an emoji is a second tag');
select is(tests.publish_to('threads', '#Fox at dawn', array['#fox']), 'published',
  'Threads: a tag in the caption and the list, in two cases, counts once');
select is(tests.publish_to('threads', 'Hello #E #a #A', array['#e', '#f']),
  '22023: threads allows at most 1 hashtag(s); this post has 3', 'Threads: #E/#e, #a/#A and #f are 3');
select is(tests.publish_to('instagram', 'Fox', array['#fox🦊']),
  '22023: Hashtag "#fox🦊" is not valid', 'a listed tag with an emoji is refused before anything is measured');
select tests.as_runner();

-- What a stored tag may hold (hashtags.rs: keeps_letters_and_digits_of_any_script, drops_emoji_…)
select ok(private.hashtags_are_valid(array['#café', '#東京', '#2026', '#Straße', '#한국', '#٣', '#snake_case']),
  'letters and decimal digits of any script, and underscores, are valid');
select ok(not private.hashtags_are_valid(array['#x²']), 'a superscript digit is not');
select ok(not private.hashtags_are_valid(array['#½price']), 'a fraction is not');
select ok(not private.hashtags_are_valid(array[E'#cafe\u0301']), 'a combining accent is not');
select ok(not private.hashtags_are_valid(array['#fox🦊']), 'an emoji is not');
select ok(private.hashtags_are_valid(array['#' || repeat('a', 99)]) and not private.hashtags_are_valid(array['#' || repeat('a', 100)]),
  'a tag holds at most 100 characters with its #');

select * from finish();
rollback;
