-- Connected accounts: the matrix, mock-only creation, no promotion, unique handles, zones.
begin;
\ir setup/helpers.sql
select * from no_plan();

select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select results_eq($$ select count(*)::int from public.connected_accounts $$, array[7], 'owner reads exactly their own accounts');
select lives_ok($$ insert into public.connected_accounts (id, platform, handle, display_name)
  values ('aaaaaaaa-0000-4000-8000-0000000000a9', 'tiktok', 'ana.tok', 'Ana on TikTok') $$, 'owner creates an account');
select is((select status::text from public.connected_accounts where id = 'aaaaaaaa-0000-4000-8000-0000000000a9'), 'mock',
  'a client-created account is mock');
select throws_ok($$ insert into public.connected_accounts (platform, handle, status) values ('tiktok', 'ana.real', 'active') $$,
  '42501', null, 'a client cannot create an active account');
select throws_ok($$ insert into public.connected_accounts (platform, handle, status) values ('tiktok', 'ana.exp', 'expired') $$,
  '42501', null, 'a client can create only mock accounts');
select throws_ok($$ update public.connected_accounts set status = 'active' where id = 'aaaaaaaa-0000-4000-8000-0000000000a9' $$,
  '42501', null, 'a client cannot promote an account to active');
select throws_ok($$ update public.connected_accounts set status = 'mock' where id = 'aaaaaaaa-0000-4000-8000-0000000000a5' $$,
  '42501', null, 'a client cannot revive an expired account');
select throws_ok($$ update public.connected_accounts set user_id = 'bbbbbbbb-0000-4000-8000-000000000000' where id = 'aaaaaaaa-0000-4000-8000-0000000000a9' $$,
  '42501', null, 'a client cannot hand an account to another user');
select throws_ok($$ insert into public.connected_accounts (user_id, platform, handle) values ('bbbbbbbb-0000-4000-8000-000000000000', 'x', 'planted') $$,
  '42501', null, 'a client cannot create an account for another user');
select lives_ok($$ update public.connected_accounts set display_name = 'Ana (TikTok)', timezone = 'Europe/Paris' where id = 'aaaaaaaa-0000-4000-8000-0000000000a9' $$,
  'owner renames an account and sets its time zone');
select throws_ok($$ update public.connected_accounts set timezone = 'Mars/Olympus' where id = 'aaaaaaaa-0000-4000-8000-0000000000a9' $$,
  '22023', 'Unknown time zone: Mars/Olympus', 'an unknown time zone is refused');
select throws_ok($$ insert into public.connected_accounts (platform, handle) values ('tiktok', 'ana.tok') $$,
  '23505', null, 'an account is unique per user, platform and handle');
select throws_ok($$ insert into public.connected_accounts (platform, handle) values ('x', '   ') $$,
  '23514', null, 'a blank handle is refused');
select throws_ok($$ delete from public.connected_accounts where id = 'aaaaaaaa-0000-4000-8000-0000000000a1' $$,
  '23503', null, 'an account with posts cannot vanish from under them');
select isnt_empty($$ delete from public.connected_accounts where id = 'aaaaaaaa-0000-4000-8000-0000000000a9' returning 1 $$,
  'owner deletes an unused account');

select tests.as_user('bbbbbbbb-0000-4000-8000-000000000000');
select is_empty($$ select 1 from public.connected_accounts where user_id = 'aaaaaaaa-0000-4000-8000-000000000000' $$,
  'another user reads none of the owner''s accounts');
select is_empty($$ update public.connected_accounts set display_name = 'pwned' where id = 'aaaaaaaa-0000-4000-8000-0000000000a2' returning 1 $$,
  'another user updates none of them');
select is_empty($$ delete from public.connected_accounts where id = 'aaaaaaaa-0000-4000-8000-0000000000a2' returning 1 $$,
  'another user deletes none of them');
select lives_ok($$ insert into public.connected_accounts (platform, handle) values ('tiktok', 'ana.tok') $$,
  'the same handle is fine for a different user');

select tests.as_anon();
select throws_ok($$ select 1 from public.connected_accounts $$, '42501', null, 'anon cannot read accounts');
select throws_ok($$ insert into public.connected_accounts (platform, handle) values ('x', 'anon') $$, '42501', null, 'anon cannot create accounts');
select throws_ok($$ update public.connected_accounts set display_name = 'x' where true $$, '42501', null, 'anon cannot update accounts');
select throws_ok($$ delete from public.connected_accounts where true $$, '42501', null, 'anon cannot delete accounts');

select tests.as_service();
select lives_ok($$ update public.connected_accounts set status = 'active' where id = 'aaaaaaaa-0000-4000-8000-0000000000a2' $$,
  'the server side activates an account after a real connection');

select tests.as_runner();
select results_eq($$ select display_name, status::text from public.connected_accounts where id = 'aaaaaaaa-0000-4000-8000-0000000000a2' $$,
  $$ values (null::text, 'active') $$, 'the other user''s attempts left the account unchanged');

select * from finish();
rollback;
