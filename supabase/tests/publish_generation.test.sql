-- publish_generation: every success path, every refusal (with nothing written), idempotency
-- and atomicity.
begin;
\ir setup/helpers.sql
select * from no_plan();

create function tests.post_count() returns bigint language sql security definer set search_path = '' as
  $$ select count(*) from public.posts $$;
grant execute on function tests.post_count() to authenticated;
create function tests.refused(p_sql text, p_state text, p_message text, p_what text) returns setof text
language plpgsql as $$
declare before bigint := tests.post_count();
begin
  return next throws_ok(p_sql, p_state, p_message, p_what);
  return next is(tests.post_count(), before, p_what || ': nothing written');
end $$;

select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');

-- Success: now, to mock accounts → published with published_at
select results_eq($$ select status::text, published_at is not null, caption, hashtags
  from public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000a1', 'aaaaaaaa-0000-4000-8000-0000000000a2']::uuid[],
    'Fox at dawn', array['#fox', '#wildlife']) $$,
  $$ values ('published', true, 'Fox at dawn', array['#fox', '#wildlife']), ('published', true, 'Fox at dawn', array['#fox', '#wildlife']) $$,
  'publishing now to mock accounts publishes one post per account');
select results_eq($$ select count(*)::int from public.posts where status = 'published' and user_id = 'aaaaaaaa-0000-4000-8000-000000000000' $$,
  array[2], 'both posts are stored as the caller''s');

-- Now, to an active account of a platform Atelier has no connector for → failed at once, with why
select results_eq($$ select status::text, published_at is null, error from public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000a7']::uuid[], 'Fox at dawn', '{}') $$,
  $$ values ('failed', true, 'Atelier cannot publish to LinkedIn yet') $$,
  'publishing now to a real LinkedIn account fails at once: Atelier has no LinkedIn connector');

-- Success: scheduled
select results_eq($$ select status::text, scheduled_at > now() from public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000a1', 'aaaaaaaa-0000-4000-8000-0000000000a3']::uuid[], 'Fox', array['#fox'], now() + interval '2 hours') $$,
  $$ values ('scheduled', true), ('scheduled', true) $$, 'a future time schedules the posts');

-- Idempotency
select is((select count(*)::int from public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000a1', 'aaaaaaaa-0000-4000-8000-0000000000a2']::uuid[], 'Once', '{}', null,
    'cccccccc-0000-4000-8000-000000000001')), 2, 'a keyed request creates its posts');
select results_eq($$ select count(*)::int from public.posts $$, array[8], 'the caller now has eight posts (one fixture, seven published or scheduled)');
select results_eq($$ select caption from public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000a1', 'aaaaaaaa-0000-4000-8000-0000000000a2']::uuid[], 'Twice?', '{}', null,
    'cccccccc-0000-4000-8000-000000000001') $$,
  $$ values ('Once'), ('Once') $$, 'the same request key returns the first call''s posts');
select results_eq($$ select count(*)::int from public.posts $$, array[8], 'and posts nothing twice');

-- Refusals
select tests.refused($$ select public.publish_generation('bbbbbbbb-0000-4000-8000-000000000002', array['aaaaaaaa-0000-4000-8000-0000000000a1']::uuid[], 'x', '{}') $$,
  '42501', null, 'another user''s generation is refused');
select tests.refused($$ select public.publish_generation('dddddddd-0000-4000-8000-000000000000', array['aaaaaaaa-0000-4000-8000-0000000000a1']::uuid[], 'x', '{}') $$,
  '42501', null, 'an unknown generation is refused');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000003', array['aaaaaaaa-0000-4000-8000-0000000000a1']::uuid[], 'x', '{}') $$,
  '22023', 'This generation is queued; only a completed one can be published', 'an unfinished generation is refused');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002', array['bbbbbbbb-0000-4000-8000-0000000000b1']::uuid[], 'x', '{}') $$,
  '42501', null, 'another user''s account is refused');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002', array['aaaaaaaa-0000-4000-8000-0000000000a5']::uuid[], 'x', '{}') $$,
  '22023', 'The facebook account @ana.fb is expired', 'an expired account is refused');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002', array['aaaaaaaa-0000-4000-8000-0000000000a6']::uuid[], 'x', '{}') $$,
  '22023', 'The pinterest account @ana.pins is revoked', 'a revoked account is refused');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002', array['aaaaaaaa-0000-4000-8000-0000000000a4']::uuid[], 'x', '{}') $$,
  '22023', 'youtube does not take image posts', 'a platform that does not take the media kind is refused');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002', '{}'::uuid[], 'x', '{}') $$,
  '22023', 'Choose at least one account to publish to', 'an empty account list is refused');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002', array['aaaaaaaa-0000-4000-8000-0000000000a2']::uuid[], repeat('x', 281), '{}') $$,
  '22023', 'The text is too long for x (280 max)', 'a caption over X''s 280 characters is refused');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002', array['aaaaaaaa-0000-4000-8000-0000000000a2']::uuid[], repeat('x', 270), array['#toolongnow']) $$,
  '22023', 'The text is too long for x (280 max)', 'hashtags count toward the text limit');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002', array['aaaaaaaa-0000-4000-8000-0000000000a1']::uuid[], repeat('x', 2201), '{}') $$,
  '22023', 'The text is too long for instagram (2200 max)', 'a caption over Instagram''s 2,200 characters is refused');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002', array['aaaaaaaa-0000-4000-8000-0000000000a1']::uuid[], 'x', array['#a','#b','#c','#d','#e','#f']) $$,
  '22023', 'instagram allows at most 5 hashtag(s); this post has 6', 'six hashtags on Instagram are refused');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002', array['aaaaaaaa-0000-4000-8000-0000000000a1']::uuid[], '#a #b #c #d', array['#e','#f']) $$,
  '22023', 'instagram allows at most 5 hashtag(s); this post has 6', 'hashtags written in the caption count too');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002', array['aaaaaaaa-0000-4000-8000-0000000000a3']::uuid[], 'x', array['#one','#two']) $$,
  '22023', 'threads allows at most 1 hashtag(s); this post has 2', 'Threads takes one tag');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002', array['aaaaaaaa-0000-4000-8000-0000000000a3']::uuid[], repeat('🦊', 126), '{}') $$,
  '22023', 'The text is too long for threads (500 max)', 'Threads counts emoji as UTF-8 bytes');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002', array['aaaaaaaa-0000-4000-8000-0000000000a1']::uuid[], 'x', array['#no spaces']) $$,
  '22023', 'Hashtag "#no spaces" is not valid', 'a malformed hashtag is refused');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002', array['aaaaaaaa-0000-4000-8000-0000000000a1']::uuid[], 'x', '{}', now() + interval '30 seconds') $$,
  '22023', 'Schedule at least one minute ahead', 'a time less than a minute ahead is refused');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002', array['aaaaaaaa-0000-4000-8000-0000000000a1']::uuid[], 'x', '{}', now() - interval '1 day') $$,
  '22023', 'Schedule at least one minute ahead', 'a time in the past is refused');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002', array['aaaaaaaa-0000-4000-8000-0000000000a1']::uuid[], 'x', '{}', 'infinity') $$,
  '22023', 'Schedule within a year', 'infinity is refused: the post would never go out');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002', array['aaaaaaaa-0000-4000-8000-0000000000a1']::uuid[], 'x', '{}', '294276-01-01 00:00:00+00') $$,
  '22023', 'Schedule within a year', 'year 294276 is refused');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002', array['aaaaaaaa-0000-4000-8000-0000000000a1']::uuid[], 'x', '{}', now() + interval '366 days') $$,
  '22023', 'Schedule within a year', 'a time more than 365 days ahead is refused');
select is((select count(*)::int from public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000a1']::uuid[], 'Next winter', '{}', now() + interval '364 days')), 1,
  'a time 364 days ahead is scheduled');
select tests.as_runner();
delete from public.posts where caption = 'Next winter';
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');

-- Atomicity: one bad account among good ones → no post at all
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000a1', 'aaaaaaaa-0000-4000-8000-0000000000a2', 'aaaaaaaa-0000-4000-8000-0000000000a5']::uuid[], 'x', '{}') $$,
  '22023', 'The facebook account @ana.fb is expired', 'one bad account among good ones');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000a1', 'bbbbbbbb-0000-4000-8000-0000000000b1']::uuid[], 'x', '{}') $$,
  '42501', null, 'one foreign account among good ones');

-- Duplicated account ids publish once per account
select is((select count(*)::int from public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000a2', 'aaaaaaaa-0000-4000-8000-0000000000a2']::uuid[], 'dup', '{}')), 1,
  'an account listed twice gets one post');

-- The definer helper cannot be abused directly either
select throws_ok($$ select private.insert_posts('bbbbbbbb-0000-4000-8000-000000000002', array['bbbbbbbb-0000-4000-8000-0000000000b1']::uuid[], 'x', '{}', null, null) $$,
  '42501', null, 'the insert helper refuses another user''s rows');

-- Real accounts on platforms with and without a connector
select tests.as_runner();
insert into public.connected_accounts (id, user_id, platform, handle, status, remote_id, service_url) values
  ('aaaaaaaa-0000-4000-8000-0000000000c1', 'aaaaaaaa-0000-4000-8000-000000000000', 'bluesky', 'ana.bsky.social', 'active',
   'did:plc:ana', 'https://pds.example'),
  ('aaaaaaaa-0000-4000-8000-0000000000c2', 'aaaaaaaa-0000-4000-8000-000000000000', 'mastodon', 'ana@masto.example', 'active',
   '1@masto.example', 'https://masto.example'),
  ('aaaaaaaa-0000-4000-8000-0000000000c3', 'aaaaaaaa-0000-4000-8000-000000000000', 'threads', 'ana.real.threads', 'active', null, null);
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');

select results_eq($$ select status::text, published_at is null, error from public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000c1']::uuid[], 'Fox at dawn', array['#fox']) $$,
  $$ values ('publishing', true, null::text) $$, 'publishing now to a connected Bluesky account queues it for the worker');

select results_eq($$ select c.platform::text, p.status::text, p.error
  from public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000a1', 'aaaaaaaa-0000-4000-8000-0000000000c3',
          'aaaaaaaa-0000-4000-8000-0000000000c2']::uuid[], 'All at once', '{}') p
  join public.connected_accounts c on c.id = p.account_id order by c.platform $$,
  $$ values ('instagram', 'published', null::text), ('threads', 'failed', 'Atelier cannot publish to Threads yet'),
            ('mastodon', 'publishing', null) $$,
  'one request: the mock post publishes, the connector post queues, the Threads post fails with the reason');

select results_eq($$ select status::text, scheduled_at is not null, error from public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000c3', 'aaaaaaaa-0000-4000-8000-0000000000c1']::uuid[], 'Later', '{}',
    now() + interval '1 hour') p order by status $$,
  $$ values ('failed', true, 'Atelier cannot publish to Threads yet'), ('scheduled', true, null::text) $$,
  'scheduling to a real Threads account fails at once too; the Bluesky post is scheduled');

select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002', array['aaaaaaaa-0000-4000-8000-0000000000c1']::uuid[], repeat('x', 301), '{}') $$,
  '22023', 'The text is too long for bluesky (300 max)', 'a text over Bluesky''s 300 characters is refused');
select tests.refused($$ select public.publish_generation('bbbbbbbb-0000-4000-8000-000000000002', array['aaaaaaaa-0000-4000-8000-0000000000c1']::uuid[], 'x', '{}') $$,
  '42501', null, 'another user''s generation is refused for a connector account too');

-- One time per account ("09:00 local time on each account"): each post gets its account's time
select tests.as_runner();
create temporary table per_account_times as
  select now() + interval '2 hours' as ig, now() + interval '8 hours' as x;
grant select on per_account_times to authenticated;
-- Builds a publish with per-account times (and optionally one time too) for the refusals below.
create function tests.by_account(p_times jsonb, p_at timestamptz default null) returns text language sql as $$
  select format('select public.publish_generation(%L, %L::uuid[], %L, %L, p_scheduled_at => %L, p_scheduled_at_by_account => %L)',
    'aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000a1', 'aaaaaaaa-0000-4000-8000-0000000000a2']::uuid[], 'x', '{}', p_at, p_times) $$;
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select results_eq($$ select p.account_id::text, p.status::text, p.scheduled_at = case p.account_id
      when 'aaaaaaaa-0000-4000-8000-0000000000a1' then t.ig else t.x end
  from public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000a1', 'aaaaaaaa-0000-4000-8000-0000000000a2']::uuid[], 'Each at nine', '{}',
    p_request_key => 'cccccccc-0000-4000-8000-000000000002',
    p_scheduled_at_by_account => (select jsonb_build_object('aaaaaaaa-0000-4000-8000-0000000000a1', ig,
                                                            'aaaaaaaa-0000-4000-8000-0000000000a2', x)
                                  from per_account_times)) p cross join per_account_times t
  order by p.account_id $$,
  $$ values ('aaaaaaaa-0000-4000-8000-0000000000a1', 'scheduled', true), ('aaaaaaaa-0000-4000-8000-0000000000a2', 'scheduled', true) $$,
  'per-account times: each post is scheduled at its own account''s time');
select results_eq($$ select count(*)::int from public.posts where caption = 'Each at nine' $$, array[2],
  'one post per account, written once');
select results_eq($$ select p.account_id::text, p.caption, p.scheduled_at = case p.account_id
      when 'aaaaaaaa-0000-4000-8000-0000000000a1' then t.ig else t.x end
  from public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000a1', 'aaaaaaaa-0000-4000-8000-0000000000a2']::uuid[], 'Replayed?', '{}',
    p_request_key => 'cccccccc-0000-4000-8000-000000000002',
    p_scheduled_at_by_account => jsonb_build_object('aaaaaaaa-0000-4000-8000-0000000000a1', now() + interval '3 hours',
                                                    'aaaaaaaa-0000-4000-8000-0000000000a2', now() + interval '3 hours')) p
  cross join per_account_times t order by p.account_id $$,
  $$ values ('aaaaaaaa-0000-4000-8000-0000000000a1', 'Each at nine', true), ('aaaaaaaa-0000-4000-8000-0000000000a2', 'Each at nine', true) $$,
  'the same request key returns the first call''s posts, at their first times');
select results_eq($$ select count(*)::int from public.posts where caption in ('Each at nine', 'Replayed?') $$, array[2],
  'and writes nothing the second time');

-- Bad per-account maps: refused, nothing written
select tests.refused(tests.by_account(jsonb_build_object('aaaaaaaa-0000-4000-8000-0000000000a1', now() + interval '1 hour')),
  '22023', 'No scheduled time for account aaaaaaaa-0000-4000-8000-0000000000a2', 'a chosen account without a time is refused');
select tests.refused(tests.by_account(jsonb_build_object('aaaaaaaa-0000-4000-8000-0000000000a1', now() + interval '1 hour',
    'aaaaaaaa-0000-4000-8000-0000000000a2', now() + interval '1 hour', 'aaaaaaaa-0000-4000-8000-0000000000a3', now() + interval '1 hour')),
  '22023', 'A scheduled time names account aaaaaaaa-0000-4000-8000-0000000000a3, which is not among the accounts published to',
  'a time for an account of the caller''s that was not chosen is refused');
select tests.refused(tests.by_account(jsonb_build_object('aaaaaaaa-0000-4000-8000-0000000000a1', now() + interval '1 hour',
    'aaaaaaaa-0000-4000-8000-0000000000a2', now() + interval '1 hour', 'bbbbbbbb-0000-4000-8000-0000000000b1', now() + interval '1 hour')),
  '22023', 'A scheduled time names account bbbbbbbb-0000-4000-8000-0000000000b1, which is not among the accounts published to',
  'a time for another user''s account is refused');
select tests.refused(tests.by_account(jsonb_build_object('aaaaaaaa-0000-4000-8000-0000000000a1', now() + interval '1 hour',
    'aaaaaaaa-0000-4000-8000-0000000000a2', now() + interval '1 hour', 'instagram', now() + interval '1 hour')),
  '22023', 'A scheduled time names account instagram, which is not among the accounts published to', 'a key that is not an account id is refused');
select tests.refused(tests.by_account(jsonb_build_object('aaaaaaaa-0000-4000-8000-0000000000a1', now() + interval '1 hour',
    'aaaaaaaa-0000-4000-8000-0000000000a2', 'tomorrow at nine')),
  '22023', 'The scheduled time for account aaaaaaaa-0000-4000-8000-0000000000a2 is not a time', 'a value that is not a time is refused');
select tests.refused(tests.by_account(jsonb_build_object('aaaaaaaa-0000-4000-8000-0000000000a1', now() + interval '1 hour',
    'aaaaaaaa-0000-4000-8000-0000000000a2', 1234567890)),
  '22023', 'The scheduled time for account aaaaaaaa-0000-4000-8000-0000000000a2 is not a time', 'a number is not a time');
select tests.refused(tests.by_account(jsonb_build_object('aaaaaaaa-0000-4000-8000-0000000000a1', now() + interval '1 hour',
    'aaaaaaaa-0000-4000-8000-0000000000a2', null)),
  '22023', 'The scheduled time for account aaaaaaaa-0000-4000-8000-0000000000a2 is not a time', 'a null time is refused');
select tests.refused(tests.by_account(jsonb_build_array(now() + interval '1 hour', now() + interval '1 hour')),
  '22023', 'The scheduled times must be an object of account id to time', 'a list of times is refused');
select tests.refused(tests.by_account(jsonb_build_object('aaaaaaaa-0000-4000-8000-0000000000a1', now() + interval '1 hour',
    'aaaaaaaa-0000-4000-8000-0000000000a2', now() + interval '1 hour'), now() + interval '1 hour'),
  '22023', 'Give one scheduled time, or one per account, not both', 'one time and per-account times together are refused');
select tests.refused(tests.by_account(jsonb_build_object('aaaaaaaa-0000-4000-8000-0000000000a1', now() + interval '1 hour',
    'aaaaaaaa-0000-4000-8000-0000000000a2', now() - interval '1 hour')),
  '22023', 'Schedule at least one minute ahead', 'one account''s time in the past refuses the whole request');
select tests.refused(tests.by_account(jsonb_build_object('aaaaaaaa-0000-4000-8000-0000000000a1', now() + interval '1 hour',
    'aaaaaaaa-0000-4000-8000-0000000000a2', now() + interval '366 days')),
  '22023', 'Schedule within a year', 'one account''s time more than 365 days ahead refuses the whole request');
select tests.refused(tests.by_account(jsonb_build_object('aaaaaaaa-0000-4000-8000-0000000000a1', 'infinity',
    'aaaaaaaa-0000-4000-8000-0000000000a2', now() + interval '1 hour')),
  '22023', 'Schedule within a year', 'an infinite per-account time is refused');
select tests.refused($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000a1', 'bbbbbbbb-0000-4000-8000-0000000000b1']::uuid[], 'x', '{}',
    p_scheduled_at_by_account => jsonb_build_object('aaaaaaaa-0000-4000-8000-0000000000a1', now() + interval '1 hour',
                                                    'bbbbbbbb-0000-4000-8000-0000000000b1', now() + interval '1 hour')) $$,
  '42501', null, 'per-account times do not let a foreign account in');
select is((select count(*)::int from public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000a1', 'aaaaaaaa-0000-4000-8000-0000000000a2', 'aaaaaaaa-0000-4000-8000-0000000000a1']::uuid[],
    'Twice listed', '{}', p_scheduled_at_by_account => jsonb_build_object(
      'AAAAAAAA-0000-4000-8000-0000000000A1', now() + interval '1 hour', 'aaaaaaaa-0000-4000-8000-0000000000a2', now() + interval '2 hours'))),
  2, 'an account listed twice needs one time (its id in any case)');

select * from finish();
rollback;
