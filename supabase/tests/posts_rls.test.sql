-- Posts: readable by their owner, created only by publish_generation; the direct changes a
-- client may make are cancelling its own scheduled post and removing its own finished one
-- (published, failed or cancelled), never one still on its way (scheduled or publishing).
begin;
\ir setup/helpers.sql
select * from no_plan();

select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select results_eq($$ select id from public.posts $$, array['aaaaaaaa-0000-4000-8000-0000000000f1'::uuid],
  'owner reads exactly their own posts');
select throws_ok($$ insert into public.posts (generation_id, account_id, status, published_at)
  values ('aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-0000000000a1', 'published', now()) $$,
  '42501', null, 'a client cannot write a published post directly');
select throws_ok($$ insert into public.posts (generation_id, account_id, status, scheduled_at)
  values ('aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-0000000000a1', 'scheduled', now() + interval '1 day') $$,
  '42501', null, 'a client cannot insert posts outside publish_generation');
select throws_ok($$ update public.posts set status = 'published' where id = 'aaaaaaaa-0000-4000-8000-0000000000f1' $$,
  '42501', null, 'a client cannot set a post to published');
select throws_ok($$ update public.posts set caption = 'edited' where id = 'aaaaaaaa-0000-4000-8000-0000000000f1' $$,
  '42501', null, 'a client cannot rewrite a post');
select throws_ok($$ update public.posts set user_id = 'bbbbbbbb-0000-4000-8000-000000000000' where id = 'aaaaaaaa-0000-4000-8000-0000000000f1' $$,
  '42501', null, 'a client cannot hand a post to another user');
select is_empty($$ delete from public.posts where id = 'aaaaaaaa-0000-4000-8000-0000000000f1' returning 1 $$,
  'a scheduled post cannot be removed (cancel it first)');
select lives_ok($$ update public.posts set status = 'cancelled' where id = 'aaaaaaaa-0000-4000-8000-0000000000f1' $$,
  'owner cancels their scheduled post');
select is((select status::text from public.posts where id = 'aaaaaaaa-0000-4000-8000-0000000000f1'), 'cancelled', 'the post is cancelled');
select is_empty($$ update public.posts set status = 'scheduled' where id = 'aaaaaaaa-0000-4000-8000-0000000000f1' returning 1 $$,
  'a cancelled post cannot be revived');

select tests.as_user('bbbbbbbb-0000-4000-8000-000000000000');
select is_empty($$ select 1 from public.posts where user_id = 'aaaaaaaa-0000-4000-8000-000000000000' $$,
  'another user reads none of the owner''s posts');
select is_empty($$ update public.posts set status = 'cancelled' where user_id = 'aaaaaaaa-0000-4000-8000-000000000000' returning 1 $$,
  'another user cancels none of them');
select throws_ok($$ select public.cancel_post('aaaaaaaa-0000-4000-8000-0000000000f1') $$,
  '22023', 'Only a scheduled post of yours can be cancelled', 'cancel_post refuses another user''s post');
select lives_ok($$ select public.cancel_post('bbbbbbbb-0000-4000-8000-0000000000f1') $$, 'cancel_post cancels your own scheduled post');
select throws_ok($$ select public.cancel_post('bbbbbbbb-0000-4000-8000-0000000000f1') $$,
  '22023', 'Only a scheduled post of yours can be cancelled', 'cancelling twice is refused');
select throws_ok($$ insert into public.posts (generation_id, account_id, status, scheduled_at)
  values ('aaaaaaaa-0000-4000-8000-000000000002', 'bbbbbbbb-0000-4000-8000-0000000000b1', 'scheduled', now() + interval '1 day') $$,
  '42501', null, 'a post cannot use another user''s generation');

select tests.as_anon();
select throws_ok($$ select 1 from public.posts $$, '42501', null, 'anon cannot read posts');
select throws_ok($$ insert into public.posts (generation_id, account_id, status) values ('aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-0000000000a1', 'published') $$,
  '42501', null, 'anon cannot create posts');
select throws_ok($$ update public.posts set status = 'cancelled' where true $$, '42501', null, 'anon cannot update posts');
select throws_ok($$ delete from public.posts where true $$, '42501', null, 'anon cannot delete posts');
select throws_ok($$ select public.publish_generation('aaaaaaaa-0000-4000-8000-000000000002', array['aaaaaaaa-0000-4000-8000-0000000000a1'::uuid], 'x', '{}') $$,
  '42501', null, 'anon cannot publish');

select tests.as_runner();
select results_eq($$ select status::text, caption from public.posts where id = 'aaaaaaaa-0000-4000-8000-0000000000f1' $$,
  $$ values ('cancelled', 'Fox at dawn') $$, 'only the owner''s cancel changed the post');

-- Removing finished posts: Ana's published, failed and publishing posts (the runner writes them,
-- as the worker would).
select tests.as_runner();
insert into public.posts (id, user_id, generation_id, account_id, caption, status, scheduled_at, published_at, error) values
  ('aaaaaaaa-0000-4000-8000-0000000000e1', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a2', 'out', 'published', null, now(), null),
  ('aaaaaaaa-0000-4000-8000-0000000000e2', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a3', 'failed', 'failed', null, null, 'The network refused it'),
  ('aaaaaaaa-0000-4000-8000-0000000000e3', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a4', 'going', 'publishing', now(), null, null);

select tests.as_user('bbbbbbbb-0000-4000-8000-000000000000');
select is_empty($$ delete from public.posts where user_id = 'aaaaaaaa-0000-4000-8000-000000000000' returning 1 $$,
  'another user removes none of the owner''s finished posts');

select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select is_empty($$ delete from public.posts where id = 'aaaaaaaa-0000-4000-8000-0000000000e3' returning 1 $$,
  'a publishing post cannot be removed');
select results_eq($$ with d as (delete from public.posts where id = 'aaaaaaaa-0000-4000-8000-0000000000e1' returning status::text) select * from d $$,
  array['published'], 'the owner removes their published post');
select results_eq($$ with d as (delete from public.posts where id = 'aaaaaaaa-0000-4000-8000-0000000000e2' returning status::text) select * from d $$,
  array['failed'], 'the owner removes their failed post');
select results_eq($$ with d as (delete from public.posts where id = 'aaaaaaaa-0000-4000-8000-0000000000f1' returning status::text) select * from d $$,
  array['cancelled'], 'the owner removes their cancelled post');

select tests.as_runner();
select results_eq($$ select id from public.posts where user_id = 'aaaaaaaa-0000-4000-8000-000000000000' $$,
  array['aaaaaaaa-0000-4000-8000-0000000000e3'::uuid], 'only the publishing post of the owner is left');
select results_eq($$ select status::text from public.posts where id = 'bbbbbbbb-0000-4000-8000-0000000000f1' $$,
  array['cancelled'], 'the other user''s post is still there');

select * from finish();
rollback;
