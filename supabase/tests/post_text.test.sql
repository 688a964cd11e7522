-- The database's side of the post-text rules that src/domain/caption.rs and hashtags.rs mirror:
-- the samples here are the ones those files' unit tests assert, so a change to either side that
-- makes them disagree fails one of the two suites. Change both together.
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

-- Lengths (caption.rs: counts_code_points_like_char_length, threads_counts_utf8_bytes_like_octet_length)
select results_eq($$ values (char_length('Café 🦊'), char_length('🇩🇪'), char_length('東京'),
                             octet_length('Café 🦊'), octet_length('東京'), octet_length(repeat('🦊', 126))) $$,
  $$ values (6, 2, 2, 10, 6, 504) $$, 'characters are code points; bytes are UTF-8');
select is(char_length(public.compose_post_text(repeat('x', 270), array['#toolongnow'])), 283,
  'hashtags and the blank line count toward the length');

-- Tags in a text (hashtags.rs: finds_tags_in_a_caption_as_the_database_does)
select results_eq($$ select array_agg(m[1]) from regexp_matches('Dawn #fox, #Wild_life! ##x a#b #', '(#[[:alnum:]_]+)', 'g') m $$,
  $$ values (array['#fox', '#Wild_life', '#x', '#b']) $$, 'tags found leftmost, not overlapping');
select results_eq($$ select array_agg(m[1]) from regexp_matches('#東京 at night #2026🎉', '(#[[:alnum:]_]+)', 'g') m $$,
  $$ values (array['#東京', '#2026']) $$, 'tags in any script; an emoji ends a tag');
select is((select count(distinct lower(m[1]))::int
  from regexp_matches(public.compose_post_text('Hello #E #a #A', array['#e', '#f']), '(#[[:alnum:]_]+)', 'g') m), 3,
  'a tag counts once whatever its case, in the caption or the list');

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
