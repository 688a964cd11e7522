-- Each rule the schema enforces whoever writes (even the server side): bad input is refused.
begin;
\ir setup/helpers.sql
select * from no_plan();

-- Inserts one of Ana's posts with the given fields (as whoever calls it).
create function tests.post(p_caption text, p_tags text[], p_status public.post_status,
  p_scheduled timestamptz default null, p_published timestamptz default null) returns void
language sql as $$
  insert into public.posts (user_id, generation_id, account_id, caption, hashtags, status, scheduled_at, published_at)
  values ('aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
          'aaaaaaaa-0000-4000-8000-0000000000a1', p_caption, p_tags, p_status, p_scheduled, p_published)
$$;
grant execute on function tests.post(text, text[], public.post_status, timestamptz, timestamptz) to service_role;

select tests.as_service();
-- generations
select throws_ok($$ insert into public.generations (session_id, user_id, prompt) values ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000000', '   ') $$,
  '23514', null, 'a blank prompt is refused');
select throws_ok($$ insert into public.generations (session_id, user_id, prompt) values ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000000', repeat('p', 2001)) $$,
  '23514', null, 'a prompt over 2,000 characters is refused');
select lives_ok($$ insert into public.generations (session_id, user_id, prompt) values ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000000', '  ' || repeat('p', 2000) || '  ') $$,
  'a 2,000-character prompt with surrounding spaces is fine');
select throws_ok($$ insert into public.generations (session_id, user_id, prompt, params) values ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000000', 'p', '[1,2]') $$,
  '23514', null, 'params must be a JSON object');
select throws_ok($$ update public.generations set status = 'completed' where id = 'aaaaaaaa-0000-4000-8000-000000000003' $$,
  '23514', null, 'a completed generation needs a media URL');
select throws_ok($$ update public.generations set status = 'failed' where id = 'aaaaaaaa-0000-4000-8000-000000000003' $$,
  '23514', null, 'a failed generation needs an error message');
select throws_ok($$ update public.generations set status = 'failed', error = '  ' where id = 'aaaaaaaa-0000-4000-8000-000000000003' $$,
  '23514', null, 'a blank error message does not count');
select throws_ok($$ update public.generations set width = 0 where id = 'aaaaaaaa-0000-4000-8000-000000000003' $$,
  '23514', null, 'dimensions are positive');
select throws_ok($$ insert into public.generations (session_id, user_id, prompt) values ('eeeeeeee-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000000', 'p') $$,
  '23503', null, 'a generation needs an existing session');
select throws_ok($$ insert into public.generations (session_id, user_id, prompt, kind) values ('aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000000', 'p', 'audio') $$,
  '22P02', null, 'kind is image or video');

-- posts

select lives_ok($$ select tests.post('ok', array['#ok', '#été_2026', '#東京'], 'published', null, now()) $$,
  'letters of any script, digits and underscores make a hashtag');
select throws_ok($$ select tests.post(repeat('c', 63207), '{}', 'published', null, now()) $$,
  '23514', null, 'a caption over the largest platform limit is refused');
select throws_ok($$ select tests.post('x', array['nohash'], 'published', null, now()) $$, '23514', null, 'a hashtag needs its #');
select throws_ok($$ select tests.post('x', array['#two words'], 'published', null, now()) $$, '23514', null, 'a hashtag has no spaces');
select throws_ok($$ select tests.post('x', array['#dash-tag'], 'published', null, now()) $$, '23514', null, 'a hashtag has no punctuation');
select throws_ok($$ select tests.post('x', array['#'], 'published', null, now()) $$, '23514', null, 'a bare # is not a hashtag');
select throws_ok($$ select tests.post('x', (select array_agg('#t' || i) from generate_series(1, 31) i), 'published', null, now()) $$,
  '23514', null, 'at most 30 hashtags per post');
select throws_ok($$ select tests.post('x', '{}', 'scheduled') $$, '23514', null, 'a scheduled post needs scheduled_at');
select throws_ok($$ select tests.post('x', '{}', 'published') $$, '23514', null, 'a published post needs published_at');
select throws_ok($$ select tests.post('x', '{}', 'failed') $$, '23514', null, 'a failed post needs an error');
select throws_ok($$ select tests.post('x', '{}', 'posted'::text::public.post_status) $$, '22P02', null, 'status is one of the canonical values');

-- sessions
select throws_ok($$ insert into public.sessions (user_id, title) values ('aaaaaaaa-0000-4000-8000-000000000000', '') $$,
  '23514', null, 'an empty session title is refused');
select throws_ok($$ insert into public.sessions (user_id, title) values ('eeeeeeee-0000-4000-8000-000000000000', 'ghost') $$,
  '23503', null, 'a session belongs to an existing user');

-- updated_at is maintained by trigger
select tests.as_runner();
update public.sessions set updated_at = '2000-01-01' where id = 'aaaaaaaa-0000-4000-8000-000000000001';
select ok((select updated_at > now() - interval '1 minute' from public.sessions where id = 'aaaaaaaa-0000-4000-8000-000000000001'),
  'updated_at is set by the server, not the writer');

select * from finish();
rollback;
