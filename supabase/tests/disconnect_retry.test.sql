-- Disconnecting an account (credentials gone; with posts: revoked and its pending posts
-- cancelled; without: deleted) and retrying a failed post (only the caller's own, only on an
-- account that can take it, refusals writing nothing).
begin;
\ir setup/helpers.sql
select * from no_plan();
select tests.settle_waiting_posts();

insert into public.connected_accounts (id, user_id, platform, handle, status, remote_id, service_url) values
  ('aaaaaaaa-0000-4000-8000-0000000000c1', 'aaaaaaaa-0000-4000-8000-000000000000', 'bluesky', 'ana.bsky.social', 'active',
   'did:plc:ana', 'https://pds.example'),
  ('aaaaaaaa-0000-4000-8000-0000000000c2', 'aaaaaaaa-0000-4000-8000-000000000000', 'mastodon', 'ana@masto.example', 'active',
   '1@masto.example', 'https://masto.example'),
  ('aaaaaaaa-0000-4000-8000-0000000000c3', 'aaaaaaaa-0000-4000-8000-000000000000', 'mastodon', 'ana@quiet.example', 'active',
   '3@quiet.example', 'https://quiet.example'),
  ('aaaaaaaa-0000-4000-8000-0000000000c6', 'aaaaaaaa-0000-4000-8000-000000000000', 'mastodon', 'ana@gone.example', 'expired',
   '2@gone.example', 'https://gone.example'),
  ('bbbbbbbb-0000-4000-8000-0000000000c1', 'bbbbbbbb-0000-4000-8000-000000000000', 'mastodon', 'bo@masto.example', 'active',
   '5@masto.example', 'https://masto.example');
insert into public.account_credentials (account_id, user_id, access_token) values
  ('aaaaaaaa-0000-4000-8000-0000000000c1', 'aaaaaaaa-0000-4000-8000-000000000000', 'v1.aXY=.YQ=='),
  ('aaaaaaaa-0000-4000-8000-0000000000c3', 'aaaaaaaa-0000-4000-8000-000000000000', 'v1.aXY=.Yw==');

insert into public.posts (id, user_id, generation_id, account_id, caption, status, scheduled_at, published_at, error,
                          lease_owner, lease_until, next_attempt_at, attempts, delivery_key, remote_id) values
  -- On the Bluesky account: one of each state
  ('aaaaaaaa-0000-4000-8000-000000000d01', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c1', 'sched', 'scheduled', now() + interval '1 day', null, null, null, null, null, 0, null, null),
  ('aaaaaaaa-0000-4000-8000-000000000d02', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c1', 'retrying', 'publishing', null, null, 'Bluesky is busy', null, null,
   now() + interval '2 minutes', 2, 'k2', null),
  ('aaaaaaaa-0000-4000-8000-000000000d03', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c1', 'done', 'published', null, now() - interval '1 hour', null, null, null, null, 1, 'k3',
   'at://did:plc:ana/app.bsky.feed.post/k3'),
  ('aaaaaaaa-0000-4000-8000-000000000d04', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c1', 'broke', 'failed', null, null, 'Bluesky refused the post', null, null, null, 5, 'k4', null),
  -- Failed posts to retry: on an active Mastodon account, an expired one, a platform without a connector, Bo's
  ('aaaaaaaa-0000-4000-8000-000000000d05', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c2', 'retry me', 'failed', null, null, 'Mastodon answered 503 five times', null, null, null,
   5, 'idem-5', null),
  ('aaaaaaaa-0000-4000-8000-000000000d06', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c6', 'expired', 'failed', null, null, 'Reconnect @ana@gone.example', null, null, null, 1, null, null),
  ('aaaaaaaa-0000-4000-8000-000000000d07', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a7', 'linkedin', 'failed', null, null, 'Atelier cannot publish to LinkedIn yet', null, null,
   null, 0, null, null),
  ('aaaaaaaa-0000-4000-8000-000000000d08', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c2', 'fine', 'published', null, now(), null, null, null, null, 1, 'idem-8', '42'),
  ('bbbbbbbb-0000-4000-8000-000000000d09', 'bbbbbbbb-0000-4000-8000-000000000000', 'bbbbbbbb-0000-4000-8000-000000000002',
   'bbbbbbbb-0000-4000-8000-0000000000c1', 'bo', 'failed', null, null, 'Mastodon answered 503', null, null, null, 5, null, null);

create function tests.snapshot() returns text language sql security definer set search_path = '' as
  $$ select string_agg(p::text, '|' order by p.id) from public.posts p $$;
grant execute on all functions in schema tests to anon, authenticated, service_role;
create function tests.refused(p_sql text, p_state text, p_message text, p_what text) returns setof text
language plpgsql as $$
declare before text := tests.snapshot();
begin
  return next throws_ok(p_sql, p_state, p_message, p_what);
  return next ok(tests.snapshot() = before, p_what || ': nothing written');
end $$;
grant execute on all functions in schema tests to anon, authenticated, service_role;

-- disconnect_account: the server side only
select ok(not has_function_privilege('authenticated', 'public.disconnect_account(uuid)', 'execute')
          and not has_function_privilege('anon', 'public.disconnect_account(uuid)', 'execute'),
  'clients cannot execute disconnect_account (the disconnect-account function checks ownership first)');
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select tests.refused($$ select public.disconnect_account('aaaaaaaa-0000-4000-8000-0000000000c1') $$, '42501', null,
  'a signed-in creator cannot call it directly');

select tests.as_service();
select tests.refused($$ select public.disconnect_account('dddddddd-0000-4000-8000-000000000000') $$, '22023',
  'Account dddddddd-0000-4000-8000-000000000000 was not found', 'an unknown account');
select is(public.disconnect_account('aaaaaaaa-0000-4000-8000-0000000000c1'), 'revoked',
  'an account with posts is revoked, not deleted');
select results_eq($$ select status::text, remote_id from public.connected_accounts where id = 'aaaaaaaa-0000-4000-8000-0000000000c1' $$,
  $$ values ('revoked', 'did:plc:ana') $$, 'its row stays, revoked, with its remote id (a reconnection finds it)');
select is_empty($$ select 1 from public.account_credentials where account_id = 'aaaaaaaa-0000-4000-8000-0000000000c1' $$,
  'its credentials are deleted');
select results_eq($$ select id::text, status::text, error, next_attempt_at from public.posts
    where account_id = 'aaaaaaaa-0000-4000-8000-0000000000c1' order by id $$,
  $$ values ('aaaaaaaa-0000-4000-8000-000000000d01', 'cancelled', 'Account disconnected', null::timestamptz),
            ('aaaaaaaa-0000-4000-8000-000000000d02', 'cancelled', 'Account disconnected', null),
            ('aaaaaaaa-0000-4000-8000-000000000d03', 'published', null, null),
            ('aaaaaaaa-0000-4000-8000-000000000d04', 'failed', 'Bluesky refused the post', null) $$,
  'its scheduled and publishing posts are cancelled with the reason; published and failed ones stay');
select is(public.disconnect_account('aaaaaaaa-0000-4000-8000-0000000000c3'), 'deleted', 'an account without posts is deleted');
select is_empty($$ select 1 from public.connected_accounts where id = 'aaaaaaaa-0000-4000-8000-0000000000c3' $$, 'its row is gone');
select is_empty($$ select 1 from public.account_credentials where account_id = 'aaaaaaaa-0000-4000-8000-0000000000c3' $$,
  'and its credentials');
select is(public.disconnect_account('aaaaaaaa-0000-4000-8000-0000000000a2'), 'deleted', 'a mock account without posts is deleted too');
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select results_eq($$ select status::text, error from public.posts where id = 'aaaaaaaa-0000-4000-8000-000000000d01' $$,
  $$ values ('cancelled', 'Account disconnected') $$, 'the owner reads why the post was cancelled');

-- retry_post
select tests.refused($$ select public.retry_post('aaaaaaaa-0000-4000-8000-000000000d06') $$, '22023',
  'Only a failed post whose account is connected can be retried', 'a failed post whose account expired');
select tests.refused($$ select public.retry_post('aaaaaaaa-0000-4000-8000-000000000d04') $$, '22023',
  'Only a failed post whose account is connected can be retried', 'a failed post whose account was disconnected');
select tests.refused($$ select public.retry_post('aaaaaaaa-0000-4000-8000-000000000d07') $$, '22023',
  'Only a failed post whose account is connected can be retried', 'a failed post on a platform without a connector');
select tests.refused($$ select public.retry_post('aaaaaaaa-0000-4000-8000-000000000d08') $$, '22023',
  'Only a failed post whose account is connected can be retried', 'a published post');
select tests.refused($$ select public.retry_post('bbbbbbbb-0000-4000-8000-000000000d09') $$, '22023',
  'Only a failed post whose account is connected can be retried', 'another user''s failed post');
select tests.refused($$ select public.retry_post(null) $$, '22023',
  'Only a failed post whose account is connected can be retried', 'no post');
select results_eq($$ select status::text, error, attempts, next_attempt_at, lease_owner, delivery_key
    from public.retry_post('aaaaaaaa-0000-4000-8000-000000000d05') $$,
  $$ values ('publishing', null::text, 0, null::timestamptz, null::uuid, 'idem-5') $$,
  'the owner retries a failed post on a connected account: publishing again, attempts from 0, same delivery key');
select tests.refused($$ select public.retry_post('aaaaaaaa-0000-4000-8000-000000000d05') $$, '22023',
  'Only a failed post whose account is connected can be retried', 'retrying twice');
select tests.as_service();
select results_eq($$ select post_id, attempts, delivery_key from public.claim_deliveries('eeeeeeee-0000-4000-8000-000000000001') $$,
  $$ values ('aaaaaaaa-0000-4000-8000-000000000d05'::uuid, 1, 'idem-5') $$, 'the worker takes the retried post with its key');

-- Bo cannot retry Ana's post (RLS and the definer helper agree)
select tests.as_runner();
update public.posts set status = 'failed', error = 'again', lease_owner = null, lease_until = null
where id = 'aaaaaaaa-0000-4000-8000-000000000d05';
select tests.as_user('bbbbbbbb-0000-4000-8000-000000000000');
select tests.refused($$ select public.retry_post('aaaaaaaa-0000-4000-8000-000000000d05') $$, '22023',
  'Only a failed post whose account is connected can be retried', 'Bo retrying Ana''s failed post');
select tests.refused($$ select private.requeue_failed_post('aaaaaaaa-0000-4000-8000-000000000d05') $$, '22023',
  'Only a failed post whose account is connected can be retried', 'Bo calling the definer helper directly');
select tests.as_anon();
select tests.refused($$ select public.retry_post('aaaaaaaa-0000-4000-8000-000000000d05') $$, '42501', null, 'anon');

select * from finish();
rollback;
