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

-- Secrets: tokens, client secrets and PKCE verifiers live only in service_role tables
select is_empty($$ select c.table_schema || '.' || c.table_name || '.' || c.column_name || ':' || r
  from information_schema.columns c cross join unnest(array['anon', 'authenticated']) r
  where c.table_schema in ('public', 'private')
    and c.column_name ~* '(token|secret|password|verifier)'
    and has_column_privilege(r, format('%I.%I', c.table_schema, c.table_name), c.column_name, 'select') $$,
  'no column named like a token, secret, password or verifier is readable by anon or authenticated');
select is_empty($$ select t || ':' || r from unnest(array['public.account_credentials', 'public.mastodon_apps',
    'public.oauth_states', 'private.worker_endpoint']) t cross join unnest(array['anon', 'authenticated']) r
  where has_table_privilege(r, t, 'select,insert,update,delete,truncate,references,trigger')
     or has_any_column_privilege(r, t, 'select,insert,update,references') $$,
  'the credential tables grant nothing to anon or authenticated');
select is_empty($$ select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname = 'private' and p.prosecdef
    and (p.proacl is null or exists (select 1 from aclexplode(p.proacl) a where a.grantee = 0)) $$,
  'no definer helper is executable by PUBLIC');
select columns_are('public', 'platform_limits', array['platform', 'caption_max', 'caption_counts_bytes', 'hashtag_max',
  'supports_image', 'supports_video', 'supported', 'preferred_image_ratio', 'preferred_video_ratio', 'image_ratios',
  'video_ratios', 'display_name', 'caption_max_bytes', 'url_length', 'has_connector'], 'platform_limits columns');
select results_eq($$ select platform::text, display_name, caption_max, caption_counts_bytes, caption_max_bytes, url_length,
    hashtag_max, supports_image, supports_video, has_connector from public.platform_limits l order by l.platform $$,
  $$ values ('instagram', 'Instagram', 2200, false, null::int, null::int, 5, true, true, false),
            ('tiktok', 'TikTok', 2200, false, null, null, 30, true, true, false),
            ('x', 'X', 280, false, null, null, 30, true, true, false),
            ('linkedin', 'LinkedIn', 3000, false, null, null, 30, true, true, false),
            ('facebook', 'Facebook', 63206, false, null, null, 30, true, true, false),
            ('youtube', 'YouTube', 5000, false, null, null, 15, false, true, false),
            ('threads', 'Threads', 500, true, null, null, 1, true, true, false),
            ('pinterest', 'Pinterest', 500, false, null, null, 30, true, true, false),
            ('bluesky', 'Bluesky', 300, false, 3000, null, 30, true, false, true),
            ('mastodon', 'Mastodon', 500, false, null, 23, 30, true, true, true) $$,
  'every platform''s name and text limits; Bluesky and Mastodon have connectors');
select has_column('public', 'connected_accounts', 'remote_id', 'accounts know their remote id');
select has_column('public', 'connected_accounts', 'service_url', 'accounts know their server');
select has_column('public', 'connected_accounts', 'caption_max', 'accounts may have their own text limit');
select has_index('public', 'connected_accounts', 'connected_accounts_remote_id_idx', 'remote ids are unique per user and platform');
select columns_are('public', 'posts', array['id', 'user_id', 'generation_id', 'account_id', 'caption', 'hashtags', 'status',
  'scheduled_at', 'published_at', 'error', 'request_key', 'created_at', 'updated_at', 'remote_id', 'remote_url',
  'delivery_key', 'attempts', 'next_attempt_at', 'lease_owner', 'lease_until'], 'posts columns (none secret)');

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
