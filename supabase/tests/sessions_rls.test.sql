-- Sessions isolation: owner / other user / anon × select / insert / update / delete.
-- Runs inside one transaction that is rolled back, so it leaves the database as it found it.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(20);

-- Two users with one session each.
insert into auth.users (id, aud, role, email, encrypted_password, email_confirmed_at)
values ('a0000000-0000-4000-8000-00000000000a', 'authenticated', 'authenticated', 'ana@test.dev', '', now()),
       ('b0000000-0000-4000-8000-00000000000b', 'authenticated', 'authenticated', 'bo@test.dev', '', now());
-- Both last changed long ago (the runner may write updated_at; the trigger fires on update
-- only), so a rename has to move Ana's forward and the refused hijack must leave Bo's alone.
insert into public.sessions (id, user_id, title, created_at, updated_at)
values ('a5000000-0000-4000-8000-00000000000a', 'a0000000-0000-4000-8000-00000000000a', 'Ana''s session',
        '2020-01-01 00:00:00+00', '2020-01-01 00:00:00+00'),
       ('b5000000-0000-4000-8000-00000000000b', 'b0000000-0000-4000-8000-00000000000b', 'Bo''s session',
        '2020-01-01 00:00:00+00', '2020-01-01 00:00:00+00');

-- Act as Ana.
select set_config('request.jwt.claims', '{"sub":"a0000000-0000-4000-8000-00000000000a","role":"authenticated"}', true);
set local role authenticated;

select results_eq($$ select title from public.sessions $$, array['Ana''s session'],
  'owner sees only their own sessions');
select is_empty($$ select 1 from public.sessions where id = 'b5000000-0000-4000-8000-00000000000b' $$,
  'another user''s session is invisible');
select lives_ok($$ insert into public.sessions (title) values ('Fresh') $$,
  'owner creates a session');
select is((select user_id from public.sessions where title = 'Fresh'), 'a0000000-0000-4000-8000-00000000000a'::uuid,
  'user_id defaults to the caller');
select throws_ok(
  $$ insert into public.sessions (user_id, title) values ('b0000000-0000-4000-8000-00000000000b', 'Planted') $$,
  '42501', null, 'inserting a session for someone else is refused');
select throws_ok($$ insert into public.sessions (title) values ('   ') $$, '23514', null,
  'a blank title is refused');
select throws_ok($$ insert into public.sessions (title) values (repeat('x', 201)) $$, '23514', null,
  'a title over 200 characters is refused');
select lives_ok($$ update public.sessions set title = 'Renamed' where id = 'a5000000-0000-4000-8000-00000000000a' $$,
  'owner renames their session');
select is((select title from public.sessions where id = 'a5000000-0000-4000-8000-00000000000a'), 'Renamed',
  'the rename is stored');
select is_empty($$ update public.sessions set title = 'Hijacked' where id = 'b5000000-0000-4000-8000-00000000000b' returning 1 $$,
  'updating another user''s session touches nothing');
select throws_ok(
  $$ update public.sessions set user_id = 'b0000000-0000-4000-8000-00000000000b' where id = 'a5000000-0000-4000-8000-00000000000a' $$,
  '42501', null, 'handing a session to another user is refused');
select is_empty($$ delete from public.sessions where id = 'b5000000-0000-4000-8000-00000000000b' returning 1 $$,
  'deleting another user''s session touches nothing');
select isnt_empty($$ delete from public.sessions where title = 'Fresh' returning 1 $$,
  'owner deletes their session');

-- As anon: no privileges at all.
reset role;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
set local role anon;
select throws_ok($$ select 1 from public.sessions $$, '42501', null, 'anon cannot read sessions');
select throws_ok($$ insert into public.sessions (title) values ('x') $$, '42501', null, 'anon cannot create sessions');
select throws_ok($$ update public.sessions set title = 'x' where true $$, '42501', null, 'anon cannot update sessions');
select throws_ok($$ delete from public.sessions where true $$, '42501', null, 'anon cannot delete sessions');

-- Back as the test runner: Bo's row is untouched.
reset role;
select is((select title from public.sessions where id = 'b5000000-0000-4000-8000-00000000000b'), 'Bo''s session',
  'the other user''s session is unchanged');
select is((select updated_at from public.sessions where id = 'a5000000-0000-4000-8000-00000000000a'), now(),
  'the rename moved updated_at from 2020 to the renaming transaction''s time');
select is((select updated_at from public.sessions where id = 'b5000000-0000-4000-8000-00000000000b'),
  '2020-01-01 00:00:00+00'::timestamptz, 'the refused hijack left the other user''s updated_at alone');

select * from finish();
rollback;
