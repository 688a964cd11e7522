-- Shared by every pgTAP file (included with \ir inside the file's transaction, so all of it
-- is rolled back): pgTAP itself, role switching as Supabase does it, and a fixture of two
-- users with rows of every kind.
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;

create schema tests;
grant usage on schema tests to anon, authenticated, service_role;

-- Act as a signed-in user: the JWT claims PostgREST would set, and the authenticated role.
create function tests.as_user(p_user uuid) returns void language plpgsql as $$
begin
  perform set_config('request.jwt.claims',
    json_build_object('sub', p_user, 'role', 'authenticated', 'aud', 'authenticated')::text, true);
  execute 'set local role authenticated';
end $$;

create function tests.as_anon() returns void language plpgsql as $$
begin
  perform set_config('request.jwt.claims', '{"role":"anon"}', true);
  execute 'set local role anon';
end $$;

create function tests.as_service() returns void language plpgsql as $$
begin
  perform set_config('request.jwt.claims', '{"role":"service_role"}', true);
  execute 'set local role service_role';
end $$;

-- Back to the test runner (the superuser that owns the fixture).
create function tests.as_runner() returns void language plpgsql as $$
begin
  execute 'reset role';
  perform set_config('request.jwt.claims', '', true);
end $$;

-- Posts that other suites left waiting on a shared database (a `make test` stack, a `make dev`
-- one) would be claimed by the worker RPCs and wake the worker too; the files that assert on
-- claims and kicks cancel them first (rolled back with everything else).
create function tests.settle_waiting_posts() returns void language sql as $$
  update public.posts set status = 'cancelled', lease_owner = null, lease_until = null, next_attempt_at = null
  where status in ('publishing', 'scheduled')
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;

-- Ana (a…) and Bo (b…): each has a session, a completed and a queued generation, accounts and
-- a scheduled post. Fixed ids keep the assertions readable.
insert into auth.users (id, aud, role, email, encrypted_password, email_confirmed_at) values
  ('aaaaaaaa-0000-4000-8000-000000000000', 'authenticated', 'authenticated', 'ana@rls.test', '', now()),
  ('bbbbbbbb-0000-4000-8000-000000000000', 'authenticated', 'authenticated', 'bo@rls.test', '', now());

insert into public.sessions (id, user_id, title) values
  ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000000', 'Ana session'),
  ('bbbbbbbb-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000000', 'Bo session');

insert into public.generations (id, session_id, user_id, kind, prompt, status, media_url, completed_at) values
  ('aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-000000000001',
   'aaaaaaaa-0000-4000-8000-000000000000', 'image', 'a red fox at dawn', 'completed',
   'http://media.test/ana/fox.png', now()),
  ('aaaaaaaa-0000-4000-8000-000000000003', 'aaaaaaaa-0000-4000-8000-000000000001',
   'aaaaaaaa-0000-4000-8000-000000000000', 'image', 'a blue whale', 'queued', null, null),
  ('bbbbbbbb-0000-4000-8000-000000000002', 'bbbbbbbb-0000-4000-8000-000000000001',
   'bbbbbbbb-0000-4000-8000-000000000000', 'video', 'city lights timelapse', 'completed',
   'http://media.test/bo/city.mp4', now());

insert into public.connected_accounts (id, user_id, platform, handle, status) values
  ('aaaaaaaa-0000-4000-8000-0000000000a1', 'aaaaaaaa-0000-4000-8000-000000000000', 'instagram', 'ana.ig', 'mock'),
  ('aaaaaaaa-0000-4000-8000-0000000000a2', 'aaaaaaaa-0000-4000-8000-000000000000', 'x', 'ana_x', 'mock'),
  ('aaaaaaaa-0000-4000-8000-0000000000a3', 'aaaaaaaa-0000-4000-8000-000000000000', 'threads', 'ana.threads', 'mock'),
  ('aaaaaaaa-0000-4000-8000-0000000000a4', 'aaaaaaaa-0000-4000-8000-000000000000', 'youtube', 'ana-yt', 'mock'),
  ('aaaaaaaa-0000-4000-8000-0000000000a5', 'aaaaaaaa-0000-4000-8000-000000000000', 'facebook', 'ana.fb', 'expired'),
  ('aaaaaaaa-0000-4000-8000-0000000000a6', 'aaaaaaaa-0000-4000-8000-000000000000', 'pinterest', 'ana.pins', 'revoked'),
  ('aaaaaaaa-0000-4000-8000-0000000000a7', 'aaaaaaaa-0000-4000-8000-000000000000', 'linkedin', 'ana-li', 'active'),
  ('bbbbbbbb-0000-4000-8000-0000000000b1', 'bbbbbbbb-0000-4000-8000-000000000000', 'instagram', 'bo.ig', 'mock');

insert into public.posts (id, user_id, generation_id, account_id, caption, hashtags, status, scheduled_at) values
  ('aaaaaaaa-0000-4000-8000-0000000000f1', 'aaaaaaaa-0000-4000-8000-000000000000',
   'aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-0000000000a1',
   'Fox at dawn', '{#fox}', 'scheduled', now() + interval '1 day'),
  ('bbbbbbbb-0000-4000-8000-0000000000f1', 'bbbbbbbb-0000-4000-8000-000000000000',
   'bbbbbbbb-0000-4000-8000-000000000002', 'bbbbbbbb-0000-4000-8000-0000000000b1',
   'City lights', '{#city}', 'scheduled', now() + interval '1 day');
