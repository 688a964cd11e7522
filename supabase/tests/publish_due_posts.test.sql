-- publish_due_posts: due posts go out (or fail with a reason), nothing else is touched, only the
-- server side may run it, and pg_cron (in pg_catalog) runs it every minute.
begin;
\ir setup/helpers.sql
select * from no_plan();

-- Due posts are inserted as the runner: publish_generation refuses past times.
insert into public.connected_accounts (id, user_id, platform, handle, status) values
  ('aaaaaaaa-0000-4000-8000-0000000000a8', 'aaaaaaaa-0000-4000-8000-000000000000', 'tiktok', 'ana.tt', 'mock');
-- A platform Atelier stopped supporting after the post was scheduled.
update public.platform_limits set supported = false where platform = 'tiktok';

insert into public.posts (id, user_id, generation_id, account_id, caption, hashtags, status, scheduled_at) values
  -- Oldest first: the two a limit of 2 takes.
  ('aaaaaaaa-0000-4000-8000-0000000000e1', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a1', 'Fox', '{#fox}', 'scheduled', now() - interval '3 hours'),
  ('bbbbbbbb-0000-4000-8000-0000000000e1', 'bbbbbbbb-0000-4000-8000-000000000000', 'bbbbbbbb-0000-4000-8000-000000000002',
   'bbbbbbbb-0000-4000-8000-0000000000b1', 'City', '{}', 'scheduled', now() - interval '2 hours'),
  ('aaaaaaaa-0000-4000-8000-0000000000e2', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a2', 'Fox on X', '{}', 'scheduled', now() - interval '1 minute'),
  ('aaaaaaaa-0000-4000-8000-0000000000e3', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a7', 'Fox on LinkedIn', '{}', 'scheduled', now()),
  ('aaaaaaaa-0000-4000-8000-0000000000e4', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a5', 'Fox', '{}', 'scheduled', now() - interval '1 minute'),
  ('aaaaaaaa-0000-4000-8000-0000000000e5', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a6', 'Fox', '{}', 'scheduled', now() - interval '1 minute'),
  ('aaaaaaaa-0000-4000-8000-0000000000e6', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000003',
   'aaaaaaaa-0000-4000-8000-0000000000a1', 'Whale', '{}', 'scheduled', now() - interval '1 minute'),
  ('aaaaaaaa-0000-4000-8000-0000000000e7', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a4', 'Fox', '{}', 'scheduled', now() - interval '1 minute'),
  ('aaaaaaaa-0000-4000-8000-0000000000e8', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a1', 'Fox #a #b #c #d', '{#e,#f}', 'scheduled', now() - interval '1 minute'),
  ('aaaaaaaa-0000-4000-8000-0000000000e9', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a2', repeat('x', 281), '{}', 'scheduled', now() - interval '1 minute'),
  ('aaaaaaaa-0000-4000-8000-0000000000ea', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a3', repeat('🦊', 126), '{}', 'scheduled', now() - interval '1 minute'),
  ('aaaaaaaa-0000-4000-8000-0000000000eb', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a8', 'Fox', '{}', 'scheduled', now() - interval '1 minute'),
  -- Not to be touched: a future one (besides the fixture's), a cancelled one past its time.
  ('aaaaaaaa-0000-4000-8000-0000000000ec', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a1', 'Later', '{}', 'scheduled', now() + interval '1 minute'),
  ('aaaaaaaa-0000-4000-8000-0000000000ed', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a1', 'Cancelled', '{}', 'cancelled', now() - interval '1 hour');

-- Who may run it
select ok(not has_function_privilege('authenticated', 'public.publish_due_posts(integer)', 'execute'),
  'authenticated cannot execute publish_due_posts');
select ok(not has_function_privilege('anon', 'public.publish_due_posts(integer)', 'execute'),
  'anon cannot execute publish_due_posts');
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select throws_ok('select public.publish_due_posts()', '42501', null, 'a signed-in creator is refused');
select tests.as_anon();
select throws_ok('select public.publish_due_posts()', '42501', null, 'anon is refused');
select tests.as_runner();
select is((select count(*)::int from public.posts where status = 'scheduled' and scheduled_at <= now()), 12,
  'the refusals settled nothing');

select tests.as_service();
select throws_ok('select public.publish_due_posts(0)', '22023',
  'p_limit must be a positive number of posts, not 0', 'a limit below one is refused');

-- A limit takes the oldest due posts first
select results_eq($$ select id, status::text from public.publish_due_posts(2) order by scheduled_at $$,
  $$ values ('aaaaaaaa-0000-4000-8000-0000000000e1'::uuid, 'published'), ('bbbbbbbb-0000-4000-8000-0000000000e1'::uuid, 'published') $$,
  'a limit of two settles the two oldest due posts (any user''s)');

-- The rest: each settled once, with what went wrong when it could not go out
select results_eq($$ select id, status::text, error from public.publish_due_posts() order by id $$,
  $$ values
    ('aaaaaaaa-0000-4000-8000-0000000000e2'::uuid, 'published', null::text),
    ('aaaaaaaa-0000-4000-8000-0000000000e3'::uuid, 'failed', 'Atelier cannot publish to LinkedIn yet'),
    ('aaaaaaaa-0000-4000-8000-0000000000e4'::uuid, 'failed',
     'The facebook account @ana.fb is expired: reconnect it on the Accounts page and schedule again'),
    ('aaaaaaaa-0000-4000-8000-0000000000e5'::uuid, 'failed',
     'The pinterest account @ana.pins is revoked: reconnect it on the Accounts page and schedule again'),
    ('aaaaaaaa-0000-4000-8000-0000000000e6'::uuid, 'failed',
     'The media of this post is no longer available: publish another generation'),
    ('aaaaaaaa-0000-4000-8000-0000000000e7'::uuid, 'failed',
     'youtube no longer takes image posts: choose another account and schedule again'),
    ('aaaaaaaa-0000-4000-8000-0000000000e8'::uuid, 'failed',
     'instagram now allows at most 5 hashtag(s); this post has 6: remove some and schedule again'),
    ('aaaaaaaa-0000-4000-8000-0000000000e9'::uuid, 'failed',
     'The text is now too long for x (280 max): shorten it and schedule again'),
    ('aaaaaaaa-0000-4000-8000-0000000000ea'::uuid, 'failed',
     'The text is now too long for threads (500 max): shorten it and schedule again'),
    ('aaaaaaaa-0000-4000-8000-0000000000eb'::uuid, 'failed',
     'Publishing to tiktok is not supported yet: choose another account and schedule again') $$,
  'due posts are published (mock), fail at once on a platform without a connector, or fail with a reason');

select is_empty($$ select id from public.posts where status = 'scheduled' and scheduled_at <= now() $$,
  'nothing stays scheduled past its time');
select results_eq($$ select count(*)::int from public.posts
    where status = 'published' and published_at = now() and error is null $$,
  array[3], 'published posts carry published_at = now() and no error');
select is_empty($$ select id from public.posts where status in ('publishing', 'failed') and published_at is not null $$,
  'posts that did not go out have no published_at');
select is_empty('select id from public.publish_due_posts()', 'a second run finds nothing left to settle');

select tests.as_runner();
select results_eq($$ select id, status::text from public.posts
    where id in ('aaaaaaaa-0000-4000-8000-0000000000f1', 'bbbbbbbb-0000-4000-8000-0000000000f1',
                 'aaaaaaaa-0000-4000-8000-0000000000ec', 'aaaaaaaa-0000-4000-8000-0000000000ed') order by id $$,
  $$ values ('aaaaaaaa-0000-4000-8000-0000000000ec'::uuid, 'scheduled'), ('aaaaaaaa-0000-4000-8000-0000000000ed'::uuid, 'cancelled'),
            ('aaaaaaaa-0000-4000-8000-0000000000f1'::uuid, 'scheduled'), ('bbbbbbbb-0000-4000-8000-0000000000f1'::uuid, 'scheduled') $$,
  'future and cancelled posts are left alone');

-- The creator sees the outcome of their own posts
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select results_eq($$ select status::text, error from public.posts where id = 'aaaaaaaa-0000-4000-8000-0000000000e4' $$,
  $$ values ('failed', 'The facebook account @ana.fb is expired: reconnect it on the Accounts page and schedule again') $$,
  'the owner reads why a post failed');
select tests.as_runner();

-- Connector accounts: a due post that fits goes to the worker (publishing); the text is measured
-- by the one rule (code points, each Mastodon URL as 23, the account's own limit first).
insert into public.connected_accounts (id, user_id, platform, handle, status, remote_id, service_url, caption_max) values
  ('aaaaaaaa-0000-4000-8000-0000000000c1', 'aaaaaaaa-0000-4000-8000-000000000000', 'bluesky', 'ana.bsky.social', 'active',
   'did:plc:ana', 'https://pds.example', null),
  ('aaaaaaaa-0000-4000-8000-0000000000c2', 'aaaaaaaa-0000-4000-8000-000000000000', 'mastodon', 'ana@masto.example', 'active',
   '1@masto.example', 'https://masto.example', null),
  ('aaaaaaaa-0000-4000-8000-0000000000c4', 'aaaaaaaa-0000-4000-8000-000000000000', 'mastodon', 'ana@long.example', 'active',
   '7@long.example', 'https://long.example', 1000);
insert into public.posts (id, user_id, generation_id, account_id, caption, hashtags, status, scheduled_at) values
  ('aaaaaaaa-0000-4000-8000-0000000000d1', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c1', 'Fox', '{#fox}', 'scheduled', now() - interval '1 minute'),
  ('aaaaaaaa-0000-4000-8000-0000000000d2', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c1', repeat('x', 301), '{}', 'scheduled', now() - interval '1 minute'),
  ('aaaaaaaa-0000-4000-8000-0000000000d3', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c4', repeat('x', 800), '{}', 'scheduled', now() - interval '1 minute'),
  ('aaaaaaaa-0000-4000-8000-0000000000d4', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c2', repeat('x', 800), '{}', 'scheduled', now() - interval '1 minute'),
  ('aaaaaaaa-0000-4000-8000-0000000000d5', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c2', 'Look https://example.com/' || repeat('a', 580), '{}', 'scheduled', now() - interval '1 minute');
select tests.as_service();
select results_eq($$ select id, status::text, error from public.publish_due_posts() order by id $$,
  $$ values
    ('aaaaaaaa-0000-4000-8000-0000000000d1'::uuid, 'publishing', null::text),
    ('aaaaaaaa-0000-4000-8000-0000000000d2'::uuid, 'failed',
     'The text is now too long for bluesky (300 max): shorten it and schedule again'),
    ('aaaaaaaa-0000-4000-8000-0000000000d3'::uuid, 'publishing', null),
    ('aaaaaaaa-0000-4000-8000-0000000000d4'::uuid, 'failed',
     'The text is now too long for mastodon (500 max): shorten it and schedule again'),
    ('aaaaaaaa-0000-4000-8000-0000000000d5'::uuid, 'publishing', null) $$,
  'due posts of connected Bluesky and Mastodon accounts queue for the worker unless their text no longer fits');
select tests.as_runner();

-- A post left publishing on LinkedIn before connectors existed fails with the reason (the
-- migration's update, run again here); one on a connector account is left to the worker.
insert into public.posts (id, user_id, generation_id, account_id, caption, status) values
  ('aaaaaaaa-0000-4000-8000-0000000000d6', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a7', 'stranded', 'publishing'),
  ('aaaaaaaa-0000-4000-8000-0000000000d7', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c1', 'waiting', 'publishing');
\ir ../migrations/20261203001300_fail_stranded_publishing_posts.sql
select results_eq($$ select id, status::text, error from public.posts
    where id in ('aaaaaaaa-0000-4000-8000-0000000000d6', 'aaaaaaaa-0000-4000-8000-0000000000d7') order by id $$,
  $$ values ('aaaaaaaa-0000-4000-8000-0000000000d6'::uuid, 'failed', 'Atelier cannot publish to LinkedIn yet'),
            ('aaaaaaaa-0000-4000-8000-0000000000d7'::uuid, 'publishing', null::text) $$,
  'a post stranded in publishing on a platform without a connector fails with the reason');

-- pg_cron: in pg_catalog, nothing of it in public, the job every minute
select is((select extnamespace::regnamespace::text from pg_extension where extname = 'pg_cron'), 'pg_catalog',
  'pg_cron is installed with schema pg_catalog');
select is_empty($$ select pg_describe_object(d.classid, d.objid, d.objsubid)
  from pg_depend d join pg_extension e on d.refclassid = 'pg_extension'::regclass and d.refobjid = e.oid
  where e.extname = 'pg_cron' and d.deptype = 'e'
    and (pg_identify_object(d.classid, d.objid, d.objsubid)).schema = 'public' $$,
  'no pg_cron object lives in public');
select results_eq($$ select schedule, active, database = current_database(), command from cron.job where jobname = 'publish-due-posts' $$,
  $$ values ('* * * * *'::text, true, true, 'select count(*) from public.publish_due_posts()'::text) $$,
  'a pg_cron job runs publish_due_posts every minute');
select results_eq($$ select schedule, active, command from cron.job where jobname = 'fail-stale-generations' $$,
  $$ values ('* * * * *'::text, true, 'select public.fail_stale_generations()'::text) $$,
  'the stale-generations sweep is still scheduled every minute');

-- What the job runs, run as the job's user, publishes a post that just fell due
insert into public.posts (id, user_id, generation_id, account_id, caption, status, scheduled_at) values
  ('aaaaaaaa-0000-4000-8000-0000000000ee', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a1', 'Cron', 'scheduled', now() - interval '1 second');
select is((select username from cron.job where jobname = 'publish-due-posts')::text, current_user::text,
  'the job runs as the database owner that applied the migrations');
select lives_ok((select command from cron.job where jobname = 'publish-due-posts'), 'the job''s command runs');
select is((select status::text from public.posts where id = 'aaaaaaaa-0000-4000-8000-0000000000ee'), 'published',
  'the job''s command published the due post');

select * from finish();
rollback;
