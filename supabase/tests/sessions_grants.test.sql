-- Sessions column grants: a signed-in owner writes only what the app writes (insert id and
-- title, update title); user_id, created_at, updated_at and an existing id are refused with
-- 42501 even on their own rows, and the refusals change nothing.
begin;
\ir setup/helpers.sql
select * from no_plan();

-- An empty session of Ana's (no generations), and the order of her rail before anything.
insert into public.sessions (id, user_id, title, created_at) values
  ('aaaaaaaa-0000-4000-8000-0000000000e1', 'aaaaaaaa-0000-4000-8000-000000000000', 'Empty', now() - interval '1 day');

select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');

-- What the app writes
select lives_ok($$ insert into public.sessions (title) values ('Named') $$, 'the owner creates a session by title');
select lives_ok($$ insert into public.sessions (id, title) values ('aaaaaaaa-0000-4000-8000-0000000000e2', 'Own id') $$,
  'the owner creates a session with an id of their choosing');
select lives_ok($$ update public.sessions set title = 'Renamed' where id = 'aaaaaaaa-0000-4000-8000-0000000000e1' $$,
  'the owner renames a session');

-- What it does not
select throws_ok($$ update public.sessions set created_at = now() + interval '1 year'
  where id = 'aaaaaaaa-0000-4000-8000-0000000000e1' $$,
  '42501', null, 'rewriting created_at (the rail''s order) is refused');
select throws_ok($$ update public.sessions set id = 'aaaaaaaa-0000-4000-8000-0000000000e9'
  where id = 'aaaaaaaa-0000-4000-8000-0000000000e1' $$,
  '42501', null, 'changing the id of an empty session is refused');
select throws_ok($$ update public.sessions set updated_at = now() - interval '5 years'
  where id = 'aaaaaaaa-0000-4000-8000-0000000000e1' $$,
  '42501', null, 'writing updated_at is refused');
select throws_ok($$ update public.sessions set user_id = 'aaaaaaaa-0000-4000-8000-000000000000'
  where id = 'aaaaaaaa-0000-4000-8000-0000000000e1' $$,
  '42501', null, 'writing user_id, even one''s own, is refused');
select throws_ok($$ insert into public.sessions (title, created_at) values ('Backdated', now() - interval '10 years') $$,
  '42501', null, 'inserting with a chosen created_at is refused');
select throws_ok($$ insert into public.sessions (title, updated_at) values ('Stamped', now()) $$,
  '42501', null, 'inserting with a chosen updated_at is refused');
select throws_ok($$ insert into public.sessions (id, title) values ('aaaaaaaa-0000-4000-8000-0000000000e1', 'Twice')
  on conflict (id) do update set id = excluded.id, title = excluded.title $$,
  '42501', null, 'an upsert that would rewrite the id is refused');

select tests.as_runner();
select results_eq($$ select id::text, title, created_at < now() - interval '23 hours'
    from public.sessions where id = 'aaaaaaaa-0000-4000-8000-0000000000e1' $$,
  $$ values ('aaaaaaaa-0000-4000-8000-0000000000e1', 'Renamed', true) $$,
  'the refused writes left the session''s id and created_at as they were');
select is_empty($$ select 1 from public.sessions where title in ('Backdated', 'Stamped', 'Twice') $$,
  'the refused inserts wrote nothing');
select results_eq($$ select count(*)::int from public.sessions
    where user_id = 'aaaaaaaa-0000-4000-8000-000000000000' and title in ('Named', 'Own id') $$,
  array[2], 'the allowed inserts are stored for the caller');

-- The grants themselves: exactly the app's columns.
select results_eq($$ select (privilege_type || ' ' || string_agg(column_name, ',' order by column_name))::text collate "C"
    from information_schema.column_privileges
    where table_schema = 'public' and table_name = 'sessions' and grantee = 'authenticated'
      and privilege_type in ('INSERT', 'UPDATE')
    group by privilege_type order by privilege_type $$,
  $$ values ('INSERT id,title' collate "C"), ('UPDATE title') $$,
  'authenticated may insert id and title and update title only');

select * from finish();
rollback;
