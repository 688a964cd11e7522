-- Storage: objects of generated_assets live under <user_id>/…; a user writes and lists only
-- their own folder, whatever the API in front does.
begin;
\ir setup/helpers.sql
select * from no_plan();

select results_eq($$ select public from storage.buckets where id = 'generated_assets' $$, array[true],
  'generated_assets is a public bucket (platforms fetch media by URL)');

insert into storage.objects (bucket_id, name, owner, metadata) values
  ('generated_assets', 'bbbbbbbb-0000-4000-8000-000000000000/bbbbbbbb-0000-4000-8000-000000000002/video.mp4',
   'bbbbbbbb-0000-4000-8000-000000000000', '{"mimetype":"video/mp4"}');

select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select lives_ok($$ insert into storage.objects (bucket_id, name, owner) values ('generated_assets',
  'aaaaaaaa-0000-4000-8000-000000000000/aaaaaaaa-0000-4000-8000-000000000002/image.png', 'aaaaaaaa-0000-4000-8000-000000000000') $$,
  'owner uploads into their own folder');
select results_eq($$ select name from storage.objects $$,
  array['aaaaaaaa-0000-4000-8000-000000000000/aaaaaaaa-0000-4000-8000-000000000002/image.png'],
  'owner lists only their own files');
select throws_ok($$ insert into storage.objects (bucket_id, name) values ('generated_assets',
  'bbbbbbbb-0000-4000-8000-000000000000/planted.png') $$, '42501', null, 'uploading into another user''s folder is refused');
select throws_ok($$ insert into storage.objects (bucket_id, name) values ('generated_assets', 'loose.png') $$,
  '42501', null, 'uploading outside any user folder is refused');
select throws_ok($$ insert into storage.objects (bucket_id, name) values ('other_bucket', 'aaaaaaaa-0000-4000-8000-000000000000/x.png') $$,
  '42501', null, 'no policy opens another bucket');
select is_empty($$ update storage.objects set metadata = '{"x":1}' where name like 'bbbbbbbb%' returning 1 $$,
  'another user''s files cannot be changed');
select is_empty($$ delete from storage.objects where name like 'bbbbbbbb%' returning 1 $$,
  'another user''s files cannot be removed');
select throws_ok($$ update storage.objects set name = 'bbbbbbbb-0000-4000-8000-000000000000/moved.png'
  where name like 'aaaaaaaa%' $$, '42501', null, 'a file cannot be moved into another user''s folder');
select isnt_empty($$ delete from storage.objects where name like 'aaaaaaaa%' returning 1 $$, 'owner removes their file');

select tests.as_anon();
select is_empty($$ select 1 from storage.objects $$, 'anon lists nothing');
select throws_ok($$ insert into storage.objects (bucket_id, name) values ('generated_assets',
  'aaaaaaaa-0000-4000-8000-000000000000/anon.png') $$, '42501', null, 'anon cannot upload');

select tests.as_runner();
select results_eq($$ select count(*)::int from storage.objects where name like 'bbbbbbbb%' $$, array[1],
  'the other user''s file is still there');

select * from finish();
rollback;
