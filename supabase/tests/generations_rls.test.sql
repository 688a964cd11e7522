-- Generations: owner / other user / anon × select / insert / update / delete, and the attacks
-- a client could try (another user's session, forged outcome, re-parenting).
begin;
\ir setup/helpers.sql
select * from no_plan();

-- Owner (Ana)
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select results_eq($$ select count(*)::int from public.generations $$, array[2], 'owner reads exactly their own generations');
select lives_ok($$ insert into public.generations (id, session_id, prompt, params)
  values ('aaaaaaaa-0000-4000-8000-00000000000a', 'aaaaaaaa-0000-4000-8000-000000000001', 'misty forest', '{"aspect_ratio":"4:5"}') $$,
  'owner queues a generation in their own session');
select results_eq($$ select status::text, user_id from public.generations where id = 'aaaaaaaa-0000-4000-8000-00000000000a' $$,
  $$ values ('queued', 'aaaaaaaa-0000-4000-8000-000000000000'::uuid) $$, 'a new generation starts queued and belongs to the caller');
select lives_ok($$ update public.generations set prompt = 'misty pine forest' where id = 'aaaaaaaa-0000-4000-8000-00000000000a' $$,
  'owner edits the prompt of a queued generation');
select is((select prompt from public.generations where id = 'aaaaaaaa-0000-4000-8000-00000000000a'), 'misty pine forest', 'the edit is stored');
select is_empty($$ update public.generations set prompt = 'changed' where id = 'aaaaaaaa-0000-4000-8000-000000000002' returning 1 $$,
  'a completed generation cannot be edited');
select isnt_empty($$ delete from public.generations where id = 'aaaaaaaa-0000-4000-8000-00000000000a' returning 1 $$,
  'owner deletes their generation');

-- Attacks by the owner on what only the server may write
select throws_ok($$ insert into public.generations (session_id, prompt, status) values ('aaaaaaaa-0000-4000-8000-000000000001', 'x', 'completed') $$,
  '42501', null, 'a client cannot create a completed generation');
select throws_ok($$ update public.generations set status = 'completed' where id = 'aaaaaaaa-0000-4000-8000-000000000003' $$,
  '42501', null, 'a client cannot mark a generation completed');
select throws_ok($$ update public.generations set media_url = 'http://evil.test/x.png' where id = 'aaaaaaaa-0000-4000-8000-000000000003' $$,
  '42501', null, 'a client cannot set media fields');
select throws_ok($$ update public.generations set provider = 'openai', model = 'x' where id = 'aaaaaaaa-0000-4000-8000-000000000003' $$,
  '42501', null, 'a client cannot set provider fields');
select throws_ok($$ update public.generations set user_id = 'bbbbbbbb-0000-4000-8000-000000000000' where id = 'aaaaaaaa-0000-4000-8000-000000000003' $$,
  '42501', null, 'a client cannot hand a generation to another user');
select throws_ok($$ insert into public.generations (session_id, prompt) values ('bbbbbbbb-0000-4000-8000-000000000001', 'intruder') $$,
  '42501', null, 'a generation cannot go into another user''s session');
select throws_ok($$ insert into public.generations (session_id, user_id, prompt) values ('bbbbbbbb-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000000', 'planted') $$,
  '42501', null, 'a generation cannot be planted on another user');

-- Another user (Bo) against Ana's rows
select tests.as_user('bbbbbbbb-0000-4000-8000-000000000000');
select is_empty($$ select 1 from public.generations where user_id = 'aaaaaaaa-0000-4000-8000-000000000000' $$,
  'another user reads none of the owner''s generations');
select is_empty($$ update public.generations set prompt = 'defaced' where id = 'aaaaaaaa-0000-4000-8000-000000000003' returning 1 $$,
  'another user updates none of them');
select is_empty($$ delete from public.generations where id = 'aaaaaaaa-0000-4000-8000-000000000003' returning 1 $$,
  'another user deletes none of them');

-- Anonymous
select tests.as_anon();
select throws_ok($$ select 1 from public.generations $$, '42501', null, 'anon cannot read generations');
select throws_ok($$ insert into public.generations (session_id, prompt) values ('aaaaaaaa-0000-4000-8000-000000000001', 'x') $$, '42501', null, 'anon cannot create generations');
select throws_ok($$ update public.generations set prompt = 'x' where true $$, '42501', null, 'anon cannot update generations');
select throws_ok($$ delete from public.generations where true $$, '42501', null, 'anon cannot delete generations');

-- The server side (service_role) finishes work
select tests.as_service();
select lives_ok($$ update public.generations set status = 'completed', media_url = 'http://media.test/ana/whale.png',
  width = 1024, height = 1024, provider = 'demo', model = 'demo-1', completed_at = now()
  where id = 'aaaaaaaa-0000-4000-8000-000000000003' $$, 'service_role completes a generation');

select tests.as_runner();
select results_eq($$ select prompt, status::text from public.generations where id = 'aaaaaaaa-0000-4000-8000-000000000003' $$,
  $$ values ('a blue whale', 'completed') $$, 'the owner''s row was changed only by the server side');

-- Delete behaviour: a session takes its generations with it, unless posts still use them.
select throws_ok($$ delete from public.generations where id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  '23503', null, 'a generation with posts cannot be deleted from under them');
delete from public.posts where generation_id = 'bbbbbbbb-0000-4000-8000-000000000002';
delete from public.sessions where id = 'bbbbbbbb-0000-4000-8000-000000000001';
select is_empty($$ select 1 from public.generations where session_id = 'bbbbbbbb-0000-4000-8000-000000000001' $$,
  'deleting a session removes its generations');

select * from finish();
rollback;
