-- Deleting a generation, as the Generate page does it: the owner removes its media from
-- Storage (<user_id>/<generation_id>/…), then the row, whatever its status; nobody else can;
-- a generation or session that posts point at is refused with 23503, unless all of those posts
-- are cancelled or failed: those go with it.
begin;
\ir setup/helpers.sql
select * from no_plan();

-- A completed generation of Ana's with no posts, and its files.
insert into public.generations (id, session_id, user_id, kind, prompt, status, media_url, completed_at) values
  ('aaaaaaaa-0000-4000-8000-0000000000d1', 'aaaaaaaa-0000-4000-8000-000000000001',
   'aaaaaaaa-0000-4000-8000-000000000000', 'image', 'a lone pine', 'completed', 'http://media.test/ana/pine.png', now());
insert into storage.objects (bucket_id, name, owner, metadata) values
  ('generated_assets', 'aaaaaaaa-0000-4000-8000-000000000000/aaaaaaaa-0000-4000-8000-0000000000d1/image-1.png',
   'aaaaaaaa-0000-4000-8000-000000000000', '{"mimetype":"image/png"}'),
  ('generated_assets', 'aaaaaaaa-0000-4000-8000-000000000000/aaaaaaaa-0000-4000-8000-0000000000d1/thumbnail-1.png',
   'aaaaaaaa-0000-4000-8000-000000000000', '{"mimetype":"image/png"}'),
  ('generated_assets', 'bbbbbbbb-0000-4000-8000-000000000000/bbbbbbbb-0000-4000-8000-000000000002/video-1.mp4',
   'bbbbbbbb-0000-4000-8000-000000000000', '{"mimetype":"video/mp4"}');

-- Another user first: nothing of Ana's goes.
select tests.as_user('bbbbbbbb-0000-4000-8000-000000000000');
select is_empty($$ delete from storage.objects
  where name like 'aaaaaaaa-0000-4000-8000-000000000000/aaaaaaaa-0000-4000-8000-0000000000d1/%' returning 1 $$,
  'another user removes none of the owner''s media');
select is_empty($$ delete from public.generations where id = 'aaaaaaaa-0000-4000-8000-0000000000d1' returning 1 $$,
  'another user deletes none of the owner''s completed generations');

select tests.as_anon();
select throws_ok($$ delete from public.generations where id = 'aaaaaaaa-0000-4000-8000-0000000000d1' $$,
  '42501', null, 'anon cannot delete a generation');
select is_empty($$ delete from storage.objects where bucket_id = 'generated_assets' returning 1 $$,
  'anon removes no media');

-- The owner: media, then the row.
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select results_eq($$ with d as (delete from storage.objects
    where bucket_id = 'generated_assets'
      and name like 'aaaaaaaa-0000-4000-8000-000000000000/aaaaaaaa-0000-4000-8000-0000000000d1/%' returning 1)
  select count(*)::int from d $$, array[2], 'the owner removes the media under <user_id>/<generation_id>/');
select results_eq($$ with d as (delete from public.generations where id = 'aaaaaaaa-0000-4000-8000-0000000000d1' returning status::text)
  select * from d $$, array['completed'], 'the owner deletes a completed generation');
select throws_ok($$ delete from public.generations where id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  '23503', null, 'a generation with posts is refused (23503), not silently kept');
select throws_ok($$ delete from public.sessions where id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  '23503', null, 'a session whose generations have posts is refused with 23503');
select results_eq($$ select count(*)::int from public.generations where session_id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  array[2], 'the refused session delete removed none of its generations');

-- Posts that never went out go with their generation; a published one still refuses it.
select tests.as_runner();
insert into public.generations (id, session_id, user_id, kind, prompt, status, media_url, completed_at) values
  ('aaaaaaaa-0000-4000-8000-0000000000d2', 'aaaaaaaa-0000-4000-8000-000000000001',
   'aaaaaaaa-0000-4000-8000-000000000000', 'image', 'a quiet lake', 'completed', 'http://media.test/ana/lake.png', now()),
  ('aaaaaaaa-0000-4000-8000-0000000000d3', 'aaaaaaaa-0000-4000-8000-000000000001',
   'aaaaaaaa-0000-4000-8000-000000000000', 'image', 'a loud city', 'completed', 'http://media.test/ana/city.png', now());
insert into public.posts (id, user_id, generation_id, account_id, caption, status, published_at, error) values
  ('aaaaaaaa-0000-4000-8000-0000000000e1', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-0000000000d2',
   'aaaaaaaa-0000-4000-8000-0000000000a1', 'lake', 'cancelled', null, null),
  ('aaaaaaaa-0000-4000-8000-0000000000e2', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-0000000000d2',
   'aaaaaaaa-0000-4000-8000-0000000000a2', 'lake', 'failed', null, 'The network refused it'),
  ('aaaaaaaa-0000-4000-8000-0000000000e3', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-0000000000d3',
   'aaaaaaaa-0000-4000-8000-0000000000a1', 'city', 'cancelled', null, null),
  ('aaaaaaaa-0000-4000-8000-0000000000e4', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-0000000000d3',
   'aaaaaaaa-0000-4000-8000-0000000000a2', 'city', 'published', now(), null);

select tests.as_user('bbbbbbbb-0000-4000-8000-000000000000');
select is_empty($$ delete from public.generations where id = 'aaaaaaaa-0000-4000-8000-0000000000d2' returning 1 $$,
  'another user deletes neither the owner''s generation nor its posts');

select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select results_eq($$ with d as (delete from public.generations where id = 'aaaaaaaa-0000-4000-8000-0000000000d2' returning id) select count(*)::int from d $$,
  array[1], 'a generation whose posts are all cancelled or failed is deleted');
select is_empty($$ select 1 from public.posts where generation_id = 'aaaaaaaa-0000-4000-8000-0000000000d2' $$,
  'its cancelled and failed posts went with it');
select throws_ok($$ delete from public.generations where id = 'aaaaaaaa-0000-4000-8000-0000000000d3' $$,
  '23503', null, 'a generation with a published post is still refused');
select results_eq($$ select status::text from public.posts where generation_id = 'aaaaaaaa-0000-4000-8000-0000000000d3' order by status::text $$,
  array['cancelled', 'published'], 'the refused delete kept all of its posts, the cancelled one too');
delete from public.posts where id = 'aaaaaaaa-0000-4000-8000-0000000000e4';
select results_eq($$ with d as (delete from public.generations where id = 'aaaaaaaa-0000-4000-8000-0000000000d3' returning id) select count(*)::int from d $$,
  array[1], 'once the published post is removed, the generation goes (and its cancelled post with it)');

select tests.as_runner();
select is((select status::text from public.posts where id = 'bbbbbbbb-0000-4000-8000-0000000000f1'), 'scheduled',
  'the other user''s post is untouched');
select results_eq($$ select count(*)::int from storage.objects where name like 'bbbbbbbb-%' $$, array[1],
  'the other user''s media is untouched');

select * from finish();
rollback;
