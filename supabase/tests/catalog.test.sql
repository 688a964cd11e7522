-- Guard rails over the whole schema, so a future migration cannot quietly weaken isolation.
begin;
\ir setup/helpers.sql
select * from no_plan();

select is_empty($$ select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity $$,
  'every public table has row level security on');
select is_empty($$ select polname from pg_policy p join pg_class c on c.oid = p.polrelid
  join pg_namespace n on n.oid = c.relnamespace where n.nspname in ('public', 'storage') and p.polcmd = '*' $$,
  'no policy is FOR ALL');
select is_empty($$ select polname from pg_policy p join pg_class c on c.oid = p.polrelid
  join pg_namespace n on n.oid = c.relnamespace where n.nspname in ('public', 'storage') and 0 = any(p.polroles) $$,
  'no policy is left to the public role');
select is_empty($$ select polname from pg_policy p join pg_class c on c.oid = p.polrelid
  join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and p.polcmd in ('a', 'w') and p.polwithcheck is null $$,
  'every insert and update policy has a with check');
select is_empty($$ select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname in ('public', 'private')
    and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) s where s like 'search_path=%') $$,
  'every function has a fixed search_path');
select is_empty($$ select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname = 'public' and p.prosecdef $$,
  'no security definer function in public (definer helpers live in private)');
select is_empty($$ select table_name || ':' || privilege_type from information_schema.role_table_grants
  where grantee = 'anon' and table_schema = 'public' $$,
  'anon holds no privilege on any public table');
select is_empty($$ select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname = 'public' and has_function_privilege('anon', p.oid, 'execute') $$,
  'anon can execute no public function');
select set_eq($$ select tablename::text from pg_publication_tables where pubname = 'supabase_realtime' $$,
  array['generations', 'posts'], 'generations and posts are published to realtime');
select hasnt_table('public', 'generation_assets', 'no legacy generation_assets table');
select hasnt_table('public', 'generation_metadata', 'no legacy generation_metadata table');
select hasnt_table('public', 'generation_sessions', 'no legacy generation_sessions table');
select has_index('public', 'sessions', 'sessions_user_id_created_at_idx', 'sessions are indexed by owner and date');
select has_index('public', 'generations', 'generations_session_id_created_at_idx', 'generations are indexed by session and date');
select has_index('public', 'posts', 'posts_user_id_created_at_idx', 'posts are indexed by owner and date');
-- Every column an RLS policy filters on (user_id) and every foreign key is indexed.
select is_empty($$
  select c.conrelid::regclass::text || '(' || a.attname || ')'
  from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
  join pg_namespace n on n.oid = (select relnamespace from pg_class where oid = c.conrelid)
  where c.contype = 'f' and n.nspname = 'public'
    and not exists (select 1 from pg_index i where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1]) $$,
  'every foreign key column leads an index');
select enum_has_labels('public', 'generation_status', array['queued', 'processing', 'completed', 'failed'], 'generation statuses are canonical');
select enum_has_labels('public', 'post_status', array['scheduled', 'publishing', 'published', 'failed', 'cancelled'], 'post statuses are canonical');
select enum_has_labels('public', 'account_status', array['active', 'mock', 'expired', 'revoked'], 'account statuses are canonical');
select enum_has_labels('public', 'platform', array['instagram', 'tiktok', 'x', 'linkedin', 'facebook', 'youtube', 'threads', 'pinterest', 'bluesky', 'mastodon'], 'platforms are canonical');
select enum_has_labels('public', 'media_kind', array['image', 'video'], 'media kinds are canonical');

-- The stale-work sweep
-- Age one row past the deadline (triggers off, or updated_at would be reset to now).
set local session_replication_role = replica;
update public.generations set updated_at = now() - interval '11 minutes' where id = 'aaaaaaaa-0000-4000-8000-000000000003';
set local session_replication_role = origin;
select tests.as_service();
select is(public.fail_stale_generations(), 1, 'one stale generation is swept');
select results_eq($$ select status::text, error from public.generations where id = 'aaaaaaaa-0000-4000-8000-000000000003' $$,
  $$ values ('failed', 'Timed out — retry') $$, 'it fails with a message the creator can act on');
select is(public.fail_stale_generations(), 0, 'a second sweep finds nothing');
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select throws_ok($$ select public.fail_stale_generations() $$, '42501', null, 'clients cannot run the sweep');
select tests.as_runner();
select results_eq($$ select schedule, command from cron.job where jobname = 'fail-stale-generations' $$,
  $$ values ('* * * * *'::text, 'select public.fail_stale_generations()'::text) $$,
  'pg_cron sweeps stale generations every minute (as on a hosted project)');

select * from finish();
rollback;
