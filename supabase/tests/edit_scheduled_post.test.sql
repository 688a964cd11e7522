-- edit_scheduled_post: a scheduled post's caption, hashtags, time and account change; someone
-- else's post, a post no longer scheduled (the worker took it first) and every check
-- publish_generation applies are refused, writing nothing.
begin;
\ir setup/helpers.sql
select * from no_plan();
select tests.settle_waiting_posts();
-- Ana's fixture post, waiting again (the line above settles every waiting post).
update public.posts set status = 'scheduled' where id = 'aaaaaaaa-0000-4000-8000-0000000000f1';

-- A real Bluesky account the worker can send to, and posts in every state on Ana's Instagram.
insert into public.connected_accounts (id, user_id, platform, handle, status, remote_id, service_url) values
  ('aaaaaaaa-0000-4000-8000-0000000000c1', 'aaaaaaaa-0000-4000-8000-000000000000', 'bluesky', 'ana.bsky.social', 'active',
   'did:plc:ana', 'https://pds.example');
insert into public.account_credentials (account_id, user_id, access_token) values
  ('aaaaaaaa-0000-4000-8000-0000000000c1', 'aaaaaaaa-0000-4000-8000-000000000000', 'v1.aXY=.YQ==');
insert into public.posts (id, user_id, generation_id, account_id, caption, status, scheduled_at, published_at, error) values
  ('aaaaaaaa-0000-4000-8000-000000000e01', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a1', 'publishing', 'publishing', null, null, null),
  ('aaaaaaaa-0000-4000-8000-000000000e02', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a1', 'published', 'published', null, now(), null),
  ('aaaaaaaa-0000-4000-8000-000000000e03', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a1', 'failed', 'failed', null, null, 'Instagram refused it'),
  ('aaaaaaaa-0000-4000-8000-000000000e04', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a1', 'cancelled', 'cancelled', now() + interval '1 day', null, null),
  -- Due now on Bluesky: the worker's next claim takes it.
  ('aaaaaaaa-0000-4000-8000-000000000e05', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c1', 'due', 'scheduled', now() - interval '1 second', null, null);

create function tests.snapshot() returns text language sql security definer set search_path = '' as
  $$ select string_agg(p::text, '|' order by p.id) from public.posts p $$;
grant execute on all functions in schema tests to anon, authenticated, service_role;
create function tests.refused(p_sql text, p_state text, p_message text, p_what text) returns setof text
language plpgsql as $$
declare before text := tests.snapshot();
begin
  return next throws_ok(p_sql, p_state, p_message, p_what);
  return next ok(tests.snapshot() = before, p_what || ': nothing written');
end $$;

-- Who may call it
select ok(has_function_privilege('authenticated', 'public.edit_scheduled_post(uuid, text, text[], timestamptz, uuid)', 'execute'),
  'signed-in users may edit their scheduled posts');
select ok(not has_function_privilege('anon', 'public.edit_scheduled_post(uuid, text, text[], timestamptz, uuid)', 'execute'),
  'anonymous callers may not');
select ok((select prosecdef and proconfig @> array['search_path=""'] from pg_proc
           where oid = 'private.edit_scheduled_post(uuid, text, text[], timestamptz, uuid)'::regprocedure),
  'its writing helper runs as definer with an empty search_path');

select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');

-- Success: every field, the account moved to X
select results_eq($$ select caption, hashtags, scheduled_at = date_trunc('minute', now()) + interval '3 hours',
    account_id, status::text
  from public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-0000000000f1', 'Fox at noon', array['#fox', '#noon'],
    date_trunc('minute', now()) + interval '3 hours', 'aaaaaaaa-0000-4000-8000-0000000000a2') $$,
  $$ values ('Fox at noon', array['#fox', '#noon'], true, 'aaaaaaaa-0000-4000-8000-0000000000a2'::uuid, 'scheduled') $$,
  'the edit returns the post with its new caption, hashtags, time and account, still scheduled');
select results_eq($$ select caption, hashtags, scheduled_at = date_trunc('minute', now()) + interval '3 hours', account_id
  from public.posts where id = 'aaaaaaaa-0000-4000-8000-0000000000f1' $$,
  $$ values ('Fox at noon', array['#fox', '#noon'], true, 'aaaaaaaa-0000-4000-8000-0000000000a2'::uuid) $$,
  'the post holds the new values');

-- Without an account the post keeps its own
select results_eq($$ select caption, account_id from public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-0000000000f1',
    'Fox at dusk', '{}', now() + interval '4 hours') $$,
  $$ values ('Fox at dusk', 'aaaaaaaa-0000-4000-8000-0000000000a2'::uuid) $$,
  'an edit without an account keeps the post''s account');

-- Someone else's post, and no post at all: the same answer, nothing written
select * from tests.refused($$ select public.edit_scheduled_post('bbbbbbbb-0000-4000-8000-0000000000f1', 'mine now', '{}',
    now() + interval '2 hours') $$, '42501', 'This post was not found among yours', 'Bo''s post');
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-00000000ffff', 'x', '{}',
    now() + interval '2 hours') $$, '42501', 'This post was not found among yours', 'a post that does not exist');

-- Posts no longer waiting
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-000000000e01', 'x', '{}',
    now() + interval '2 hours') $$, '22023', 'It has already gone out', 'a publishing post');
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-000000000e02', 'x', '{}',
    now() + interval '2 hours') $$, '22023', 'It has already gone out', 'a published post');
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-000000000e03', 'x', '{}',
    now() + interval '2 hours') $$, '22023', 'It has already gone out', 'a failed post');
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-000000000e04', 'x', '{}',
    now() + interval '2 hours') $$, '22023', 'This post was cancelled, so it cannot be edited', 'a cancelled post');

-- publish_generation's checks
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-0000000000f1', repeat('a', 281), '{}',
    now() + interval '2 hours') $$, '22023', 'The text is too long for x (280 max)', 'a caption over X''s length');
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-0000000000f1', repeat('a', 270),
    array['#foxes', '#dawn'], now() + interval '2 hours') $$, '22023', 'The text is too long for x (280 max)',
  'a caption that fits X until the hashtags are added');
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-0000000000f1', repeat('a', 400), '{}',
    now() + interval '2 hours', 'aaaaaaaa-0000-4000-8000-0000000000a2') $$, '22023', 'The text is too long for x (280 max)',
  'a caption over the new account''s platform');
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-0000000000f1', 'Fox #one',
    array['#two'], now() + interval '2 hours', 'aaaaaaaa-0000-4000-8000-0000000000a3') $$, '22023',
  'threads allows at most 1 hashtag(s); this post has 2', 'more hashtags than Threads takes (the caption''s count too)');
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-0000000000f1', 'Fox', array['fox'],
    now() + interval '2 hours') $$, '22023', 'Hashtag "fox" is not valid', 'a hashtag without #');
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-0000000000f1', 'Fox', array[null]::text[],
    now() + interval '2 hours') $$, '22023', 'Hashtags cannot be empty', 'an empty hashtag');
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-0000000000f1', 'Fox', '{}',
    now() + interval '30 seconds') $$, '22023', 'Schedule at least one minute ahead', 'a time less than a minute ahead');
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-0000000000f1', 'Fox', '{}',
    now() - interval '1 hour') $$, '22023', 'Schedule at least one minute ahead', 'a time in the past');
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-0000000000f1', 'Fox', '{}',
    now() + interval '366 days') $$, '22023', 'Schedule within a year', 'a time more than a year ahead');
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-0000000000f1', 'Fox', '{}',
    'infinity') $$, '22023', 'Schedule within a year', 'a time that never comes');
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-0000000000f1', 'Fox', '{}', null) $$,
  '22023', 'Pick a date and time to schedule for', 'no time');

-- The account: the caller's, connected, and able to take this image
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-0000000000f1', 'Fox', '{}',
    now() + interval '2 hours', 'bbbbbbbb-0000-4000-8000-0000000000b1') $$, '42501',
  'Account bbbbbbbb-0000-4000-8000-0000000000b1 was not found among yours', 'moving it to Bo''s account');
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-0000000000f1', 'Fox', '{}',
    now() + interval '2 hours', 'aaaaaaaa-0000-4000-8000-0000000000a5') $$, '22023',
  'The facebook account @ana.fb is expired', 'moving it to an expired account');
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-0000000000f1', 'Fox', '{}',
    now() + interval '2 hours', 'aaaaaaaa-0000-4000-8000-0000000000a4') $$, '22023',
  'youtube does not take image posts', 'moving an image to YouTube');
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-0000000000f1', 'Fox', '{}',
    now() + interval '2 hours', 'aaaaaaaa-0000-4000-8000-0000000000a7') $$, '22023',
  'Atelier cannot publish to LinkedIn yet', 'moving it to a platform Atelier cannot send to');

-- The worker wins: its claim takes the due post (scheduled → publishing); the edit that comes
-- after it is refused and changes nothing.
select tests.as_service();
select results_eq($$ select post_id from public.claim_deliveries('cccccccc-0000-4000-8000-000000000001', 10, 120,
    array['aaaaaaaa-0000-4000-8000-000000000e05']::uuid[]) $$,
  $$ values ('aaaaaaaa-0000-4000-8000-000000000e05'::uuid) $$, 'the worker claims the due post');
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select * from tests.refused($$ select public.edit_scheduled_post('aaaaaaaa-0000-4000-8000-000000000e05', 'too late', '{}',
    now() + interval '2 hours') $$, '22023', 'It has already gone out', 'an edit after the worker claimed the post');
select results_eq($$ select caption, status::text from public.posts where id = 'aaaaaaaa-0000-4000-8000-000000000e05' $$,
  $$ values ('due', 'publishing') $$, 'the claimed post keeps what the worker took');

-- publish_generation still applies the same checks through the shared helpers
select * from tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000a2']::uuid[], repeat('a', 281), '{}') $$, '22023',
  'The text is too long for x (280 max)', 'publish_generation: a caption over X''s length');

select * from finish();
rollback;
