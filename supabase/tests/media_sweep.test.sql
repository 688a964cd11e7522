-- Scheduling the orphan-media sweep: pg_cron runs private.kick_media_sweep() every hour, which
-- POSTs {} to the sweep-media function next to the publish worker (private.worker_endpoint) with
-- the key as bearer; without an endpoint or net.http_post nothing is sent and nothing fails;
-- clients can neither kick it nor read where it is. net.http_post is replaced by a recorder (this
-- transaction is rolled back, so the stack's own function comes back untouched).
begin;
\ir setup/helpers.sql
select * from no_plan();

create table tests.kicks (n serial, url text, body jsonb, headers jsonb, timeout_milliseconds integer);
create schema if not exists net;
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
delete from private.worker_endpoint;

-- Where the sweep is
select is(private.function_url('sweep-media'), null, 'without an endpoint row there is no sweep URL');
select lives_ok('select private.kick_media_sweep()', 'a kick without an endpoint row runs');
select is((select count(*)::int from tests.kicks), 0, '… and calls nothing');

insert into private.worker_endpoint (url, token) values ('https://ref.supabase.co/functions/v1/publish-worker', 'service-key');
select is(private.function_url('sweep-media'), 'https://ref.supabase.co/functions/v1/sweep-media',
  'the sweep is the function next to the publish worker');
select is(private.function_url('../rest'), null, 'a name that is not a function name gives no URL');

-- The hourly job
select results_eq($$ select schedule, active, command from cron.job where jobname = 'sweep-media' $$,
  $$ values ('23 * * * *'::text, true, 'select private.kick_media_sweep()'::text) $$,
  'a pg_cron job kicks the sweep every hour');
select lives_ok((select command from cron.job where jobname = 'sweep-media'), 'the job''s command runs');
select results_eq($$ select url, body, headers, timeout_milliseconds from tests.kicks $$,
  $$ values ('https://ref.supabase.co/functions/v1/sweep-media', '{}'::jsonb,
             '{"Content-Type": "application/json", "Authorization": "Bearer service-key"}'::jsonb, 5000) $$,
  'one call to the sweep, with the key as bearer');

-- A failing pg_net is a warning, not an error
create or replace function net.http_post(
  url text,
  body jsonb default '{}'::jsonb,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
  timeout_milliseconds integer default 5000
) returns bigint language plpgsql as $$ begin raise exception 'queue full'; end $$;
select lives_ok('select private.kick_media_sweep()', 'when net.http_post fails, the kick still returns');

-- Only the server side
select ok(not has_function_privilege('authenticated', 'private.kick_media_sweep()', 'execute')
          and not has_function_privilege('anon', 'private.kick_media_sweep()', 'execute')
          and not has_function_privilege('authenticated', 'private.function_url(text)', 'execute'),
  'clients can neither kick the sweep nor ask where it is');
select ok(has_function_privilege('service_role', 'private.kick_media_sweep()', 'execute'), 'service_role may kick it');

select * from finish();
rollback;
