-- Waking the publish worker: the triggers on posts call private.kick_publish_worker once per
-- statement that leaves a post of a connected account waiting for a worker, which POSTs to the
-- endpoint row through net.http_post; nothing is called for posts that need no worker, for the
-- worker's own updates, or with nothing waiting; a missing endpoint or net.http_post is no error.
-- net.http_post is replaced here by a recorder (this transaction is rolled back, so the stack's
-- own function, when it has one, comes back untouched).
begin;
\ir setup/helpers.sql
select * from no_plan();
select tests.settle_waiting_posts();

create table tests.kicks (n serial, url text, body jsonb, headers jsonb, timeout_milliseconds integer);
create schema if not exists net;
-- pg_net's signature and defaults.
create or replace function net.http_post(
  url text,
  body jsonb default '{}'::jsonb,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
  timeout_milliseconds integer default 5000
) returns bigint language plpgsql as $$
declare v_n integer;
begin
  insert into tests.kicks (url, body, headers, timeout_milliseconds)
  values (url, body, headers, timeout_milliseconds) returning n into v_n;
  return v_n;
end $$;
create function tests.kick_count() returns integer language sql security definer as $$ select count(*)::int from tests.kicks $$;
grant execute on all functions in schema tests to anon, authenticated, service_role;
delete from private.worker_endpoint;

insert into public.connected_accounts (id, user_id, platform, handle, status, remote_id, service_url) values
  ('aaaaaaaa-0000-4000-8000-0000000000c1', 'aaaaaaaa-0000-4000-8000-000000000000', 'bluesky', 'ana.bsky.social', 'active',
   'did:plc:ana', 'https://pds.example'),
  ('aaaaaaaa-0000-4000-8000-0000000000c5', 'aaaaaaaa-0000-4000-8000-000000000000', 'bluesky', 'ana.mock', 'mock', null, null);

-- Nothing waiting: the every-minute job does not call the worker for nothing
insert into private.worker_endpoint (url, token) values ('http://127.0.0.1:9/functions/v1/publish-worker', 'service-key');
select lives_ok('select private.kick_publish_worker()', 'a kick with nothing waiting runs');
select is(tests.kick_count(), 0, '… and calls nothing');

-- Posts that need no worker
insert into public.posts (user_id, generation_id, account_id, caption, status, scheduled_at, published_at) values
  ('aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-0000000000c5',
   'mock', 'published', null, now()),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-0000000000c1',
   'later', 'scheduled', now() + interval '1 hour', null);
select is(tests.kick_count(), 0, 'inserting only published and scheduled posts calls nothing');
insert into public.posts (user_id, generation_id, account_id, caption, status) values
  ('aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-0000000000a7',
   'legacy', 'publishing');
select is(tests.kick_count(), 0, 'a publishing post on a platform without a connector calls nothing');

-- Publish now
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select results_eq($$ select status::text from public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002',
    array['aaaaaaaa-0000-4000-8000-0000000000c1', 'aaaaaaaa-0000-4000-8000-0000000000a1']::uuid[], 'Now', '{}') p
    order by status $$,
  $$ values ('published'), ('publishing') $$, 'a creator publishes now to Bluesky and a mock account');
select tests.as_runner();
select results_eq($$ select url, body, headers, timeout_milliseconds from tests.kicks $$,
  $$ values ('http://127.0.0.1:9/functions/v1/publish-worker', '{}'::jsonb,
             '{"Content-Type": "application/json", "Authorization": "Bearer service-key"}'::jsonb, 5000) $$,
  'one call to the worker endpoint, with the key as bearer');
insert into public.posts (user_id, generation_id, account_id, caption, status, scheduled_at, published_at) values
  ('aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-0000000000c5',
   'mock again', 'published', null, now()),
  ('aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-0000000000c1',
   'later again', 'scheduled', now() + interval '2 hours', null);
update public.posts set caption = 'Now, edited' where caption = 'Now' and status = 'publishing';
select is(tests.kick_count(), 1,
  'while a post waits, inserting published or scheduled posts, or editing the waiting one, calls nothing more');

insert into public.posts (id, user_id, generation_id, account_id, caption, status) values
  ('aaaaaaaa-0000-4000-8000-000000000d01', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c1', 'one', 'publishing'),
  ('aaaaaaaa-0000-4000-8000-000000000d02', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c1', 'two', 'publishing');
select is(tests.kick_count(), 2, 'a statement inserting two publishing posts calls once more (per statement, not per row)');

-- The worker's own updates call nothing
select tests.as_service();
select is((select count(*)::int from public.claim_deliveries('eeeeeeee-0000-4000-8000-000000000001')), 3, 'the worker claims the three');
select lives_ok($$ select public.set_delivery_key('aaaaaaaa-0000-4000-8000-000000000d01', 'eeeeeeee-0000-4000-8000-000000000001', 'k1') $$,
  'it stores a key');
select lives_ok($$ select public.defer_delivery('aaaaaaaa-0000-4000-8000-000000000d01', 'eeeeeeee-0000-4000-8000-000000000001',
  now() + interval '1 minute', 'busy') $$, 'it defers one');
select lives_ok($$ select public.fail_delivery('aaaaaaaa-0000-4000-8000-000000000d02', 'eeeeeeee-0000-4000-8000-000000000001',
  'refused') $$, 'it fails one');
select is(tests.kick_count(), 2, 'claiming, keying, deferring and failing call nothing');

-- A retry does
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select lives_ok($$ select public.retry_post('aaaaaaaa-0000-4000-8000-000000000d02') $$, 'the creator retries the failed post');
select is(tests.kick_count(), 3, 'a retry calls the worker');

-- A post due from pg_cron: the every-minute job
select tests.as_runner();
select results_eq($$ select schedule, active, command from cron.job where jobname = 'publish-worker' $$,
  $$ values ('* * * * *'::text, true, 'select private.kick_publish_worker()'::text) $$,
  'a pg_cron job kicks the worker every minute');
select lives_ok((select command from cron.job where jobname = 'publish-worker'), 'the job''s command runs');
select is(tests.kick_count(), 4, 'with posts waiting, the job''s command calls the worker');

-- Nothing to call with, nothing broken
delete from private.worker_endpoint;
select lives_ok($$ insert into public.posts (user_id, generation_id, account_id, caption, status) values
  ('aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-0000000000c1',
   'no endpoint', 'publishing') $$, 'without an endpoint row, a publishing post is still stored');
select is(tests.kick_count(), 4, '… and nothing is called');
insert into private.worker_endpoint (url, token) values ('http://127.0.0.1:9/functions/v1/publish-worker', 'service-key');
alter function net.http_post(text, jsonb, jsonb, jsonb, integer) rename to http_post_elsewhere;
select lives_ok($$ insert into public.posts (user_id, generation_id, account_id, caption, status) values
  ('aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-0000000000c1',
   'no pg_net', 'publishing') $$, 'without net.http_post, a publishing post is still stored');
select is(tests.kick_count(), 4, '… and nothing is called');
create function net.http_post(
  url text,
  body jsonb default '{}'::jsonb,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
  timeout_milliseconds integer default 5000
) returns bigint language plpgsql as $$ begin raise exception 'queue full'; end $$;
select lives_ok($$ insert into public.posts (user_id, generation_id, account_id, caption, status) values
  ('aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-0000000000c1',
   'failing pg_net', 'publishing') $$, 'when net.http_post fails, the post is still stored');

-- Only the server side may kick
select ok(not has_function_privilege('authenticated', 'private.kick_publish_worker()', 'execute')
          and not has_function_privilege('anon', 'private.kick_publish_worker()', 'execute'),
  'clients cannot call the worker through the database');
select ok(not has_function_privilege('authenticated', 'private.kick_function(text)', 'execute')
          and not has_function_privilege('anon', 'private.kick_function(text)', 'execute'),
  'clients cannot call any function through the database''s kick either');

select * from finish();
rollback;
