-- Aspect ratios per platform: the data the "Made for" rule reads, and the constraints that keep
-- it coherent (a preferred ratio is one the platform accepts; no ratios for a kind it refuses).
begin;
\ir setup/helpers.sql
select * from no_plan();

select enum_has_labels('public', 'aspect_ratio', array['1:1', '4:5', '9:16', '16:9', '2:3'],
  'the app''s five ratios, in canonical order');

select results_eq($$
  select platform::text, preferred_image_ratio::text, preferred_video_ratio::text,
         image_ratios::text[], video_ratios::text[]
  from public.platform_limits l order by l.platform $$,
  $$ values
    ('instagram', '4:5', '9:16', '{1:1,4:5,9:16,16:9}'::text[], '{9:16}'::text[]),
    ('tiktok', '9:16', '9:16', '{9:16}', '{9:16}'),
    ('x', '16:9', '16:9', '{1:1,16:9}', '{1:1,4:5,9:16,16:9,2:3}'),
    ('linkedin', '1:1', '1:1', '{1:1,16:9}', '{1:1,4:5,9:16,16:9,2:3}'),
    ('facebook', '1:1', '9:16', '{1:1,4:5,9:16,16:9,2:3}', '{9:16}'),
    ('youtube', null, '9:16', '{}', '{9:16}'),
    ('threads', '1:1', '9:16', '{1:1,4:5,9:16,16:9,2:3}', '{1:1,4:5,9:16,16:9,2:3}'),
    ('pinterest', '2:3', '2:3', '{1:1,4:5,9:16,16:9,2:3}', '{1:1,4:5,9:16,16:9,2:3}'),
    ('bluesky', '1:1', null, '{1:1,4:5,9:16,16:9,2:3}', '{}'),
    ('mastodon', '1:1', '16:9', '{1:1,4:5,9:16,16:9,2:3}', '{1:1,4:5,9:16,16:9,2:3}') $$,
  'every platform''s preferred and accepted ratios, from the reference');

select is_empty($$ select platform from public.platform_limits
  where (supports_image and not preferred_image_ratio = any (image_ratios))
     or (supports_video and not preferred_video_ratio = any (video_ratios)) $$,
  'each preferred ratio is among the accepted ones');

-- The constraints (as the table owner, who alone may write this table).
select throws_ok($$ update public.platform_limits set preferred_image_ratio = '3:2' where platform = 'x' $$,
  '22P02', null, 'a ratio outside the app''s set is refused');
select throws_ok($$ update public.platform_limits set preferred_image_ratio = '2:3' where platform = 'x' $$,
  '23514', null, 'a preferred ratio the platform does not accept is refused');
select throws_ok($$ update public.platform_limits set preferred_image_ratio = '9:16' where platform = 'youtube' $$,
  '23514', null, 'a platform without images has no image ratio');
select throws_ok($$ update public.platform_limits set video_ratios = '{}' where platform = 'tiktok' $$,
  '23514', null, 'a platform that takes videos accepts at least its preferred ratio');
select throws_ok($$ update public.platform_limits set image_ratios = array['1:1', null]::public.aspect_ratio[] where platform = 'x' $$,
  '23514', null, 'no null among the accepted ratios');
select throws_ok($$ update public.platform_limits set preferred_video_ratio = null where platform = 'x' $$,
  '23514', null, 'a platform that takes videos has a preferred video ratio');

-- Who reads it: signed-in users, not anon.
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select results_eq($$ select preferred_video_ratio::text from public.platform_limits where platform = 'youtube' $$,
  array['9:16'], 'a signed-in user reads the ratios');
select throws_ok($$ update public.platform_limits set preferred_image_ratio = '1:1' where platform = 'instagram' $$,
  '42501', null, 'a signed-in user cannot change them');
select tests.as_anon();
select throws_ok($$ select preferred_image_ratio from public.platform_limits $$, '42501', null, 'anon reads nothing');

select * from finish();
rollback;
