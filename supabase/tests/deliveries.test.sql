-- The delivery worker's RPCs: claim_deliveries leases posts of connected accounts (never mock
-- ones, never platforms without a connector), a live lease keeps others out and an expired one
-- does not; only the lease holder sets the delivery key, completes, defers or fails a post, and a
-- refusal writes nothing. Only service_role may call any of them.
begin;
\ir setup/helpers.sql
select * from no_plan();
select tests.settle_waiting_posts();

insert into public.connected_accounts (id, user_id, platform, handle, status, remote_id, service_url) values
  ('aaaaaaaa-0000-4000-8000-0000000000c1', 'aaaaaaaa-0000-4000-8000-000000000000', 'bluesky', 'ana.bsky.social', 'active',
   'did:plc:ana', 'https://pds.example'),
  ('aaaaaaaa-0000-4000-8000-0000000000c2', 'aaaaaaaa-0000-4000-8000-000000000000', 'mastodon', 'ana@masto.example', 'active',
   '1@masto.example', 'https://masto.example'),
  ('aaaaaaaa-0000-4000-8000-0000000000c5', 'aaaaaaaa-0000-4000-8000-000000000000', 'bluesky', 'ana.mock', 'mock', null, null),
  ('aaaaaaaa-0000-4000-8000-0000000000c6', 'aaaaaaaa-0000-4000-8000-000000000000', 'mastodon', 'ana@gone.example', 'expired',
   '2@gone.example', 'https://gone.example');

-- Worker ids
create function tests.w(n int) returns uuid language sql immutable as
  $$ select ('eeeeeeee-0000-4000-8000-00000000000' || n)::uuid $$;
grant execute on function tests.w(int) to service_role;

insert into public.posts
  (id, user_id, generation_id, account_id, caption, hashtags, status, scheduled_at, created_at,
   lease_owner, lease_until, next_attempt_at, attempts) values
  -- Claimable: free publishing, an expired lease, a retry that is due, a due scheduled post
  ('aaaaaaaa-0000-4000-8000-000000000d01', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c1', 'Fox', '{#fox}', 'publishing', null, now() - interval '10 minutes', null, null, null, 0),
  ('aaaaaaaa-0000-4000-8000-000000000d03', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c2', 'Fox', '{}', 'publishing', null, now() - interval '20 minutes',
   tests.w(9), now() - interval '1 second', null, 1),
  ('aaaaaaaa-0000-4000-8000-000000000d05', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c1', 'Fox', '{}', 'publishing', null, now() - interval '1 hour',
   null, null, now() - interval '1 second', 2),
  ('aaaaaaaa-0000-4000-8000-000000000d06', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c1', 'Fox at dawn', '{#fox,#dawn}', 'scheduled', now() - interval '5 minutes',
   now() - interval '1 day', null, null, null, 0),
  -- Not claimable: a live lease, a retry not yet due, a future scheduled post, a mock account, a
  -- platform without a connector, an expired account, a published post
  ('aaaaaaaa-0000-4000-8000-000000000d02', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c2', 'Fox', '{}', 'publishing', null, now() - interval '2 hours',
   tests.w(8), now() + interval '1 minute', null, 1),
  ('aaaaaaaa-0000-4000-8000-000000000d04', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c1', 'Fox', '{}', 'publishing', null, now() - interval '2 hours',
   null, null, now() + interval '30 seconds', 1),
  ('aaaaaaaa-0000-4000-8000-000000000d07', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c1', 'Later', '{}', 'scheduled', now() + interval '1 minute',
   now() - interval '2 hours', null, null, null, 0),
  ('aaaaaaaa-0000-4000-8000-000000000d08', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c5', 'Mock', '{}', 'publishing', null, now() - interval '2 hours', null, null, null, 0),
  ('aaaaaaaa-0000-4000-8000-000000000d09', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000a7', 'LinkedIn', '{}', 'publishing', null, now() - interval '2 hours', null, null, null, 0),
  ('aaaaaaaa-0000-4000-8000-000000000d0a', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c6', 'Expired', '{}', 'publishing', null, now() - interval '2 hours', null, null, null, 0),
  -- Due, but its text no longer fits Bluesky: the claim fails it with the reason instead
  ('aaaaaaaa-0000-4000-8000-000000000d0b', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c1', repeat('x', 301), '{}', 'scheduled', now() - interval '1 minute',
   now() - interval '1 day', null, null, null, 0);
insert into public.posts (id, user_id, generation_id, account_id, caption, status, published_at) values
  ('aaaaaaaa-0000-4000-8000-000000000d0c', 'aaaaaaaa-0000-4000-8000-000000000000', 'aaaaaaaa-0000-4000-8000-000000000002',
   'aaaaaaaa-0000-4000-8000-0000000000c1', 'Done', 'published', now());

create function tests.post(p_id text) returns table (status text, lease_owner uuid, attempts int, error text,
  next_attempt_at timestamptz, delivery_key text, remote_id text, remote_url text, published_at timestamptz)
language sql as $$
  select p.status::text, p.lease_owner, p.attempts, p.error, p.next_attempt_at, p.delivery_key, p.remote_id,
         p.remote_url, p.published_at
  from public.posts p where p.id = ('aaaaaaaa-0000-4000-8000-000000000' || p_id)::uuid $$;
create function tests.snapshot() returns text language sql security definer set search_path = '' as
  $$ select string_agg(p::text, '|' order by p.id) from public.posts p $$;
create function tests.accounts_snapshot() returns text language sql security definer set search_path = '' as
  $$ select string_agg(c::text, '|' order by c.id) from public.connected_accounts c $$;
grant execute on all functions in schema tests to anon, authenticated, service_role;

-- A refusal: the error, and not one post or account changed.
create function tests.refused(p_sql text, p_state text, p_message text, p_what text) returns setof text
language plpgsql as $$
declare
  before_posts text := tests.snapshot();
  before_accounts text := tests.accounts_snapshot();
begin
  return next throws_ok(p_sql, p_state, p_message, p_what);
  return next ok(tests.snapshot() = before_posts and tests.accounts_snapshot() = before_accounts,
                 p_what || ': nothing written');
end $$;
grant execute on all functions in schema tests to anon, authenticated, service_role;

-- Who may call them
select is_empty($$ select p.oid::regprocedure::text from pg_proc p
    where p.oid in ('public.claim_deliveries(uuid, integer, integer, uuid[])'::regprocedure,
                    'public.set_delivery_key(uuid, uuid, text)'::regprocedure,
                    'public.complete_delivery(uuid, uuid, text, text)'::regprocedure,
                    'public.defer_delivery(uuid, uuid, timestamptz, text, boolean)'::regprocedure,
                    'public.fail_delivery(uuid, uuid, text, public.account_status)'::regprocedure,
                    'public.disconnect_account(uuid)'::regprocedure)
      and (has_function_privilege('anon', p.oid, 'execute') or has_function_privilege('authenticated', p.oid, 'execute')) $$,
  'anon and authenticated can execute none of the worker RPCs');
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select tests.refused($$ select * from public.claim_deliveries(tests.w(1)) $$, '42501', null, 'a signed-in creator cannot claim');
select tests.refused($$ select public.complete_delivery('aaaaaaaa-0000-4000-8000-000000000d02', tests.w(8), 'x', null) $$,
  '42501', null, 'a signed-in creator cannot complete a post');
select tests.as_anon();
select tests.refused($$ select * from public.claim_deliveries(tests.w(1)) $$, '42501', null, 'anon cannot claim');

select tests.as_service();
select tests.refused($$ select * from public.claim_deliveries(null) $$, '22023', 'p_worker must name the claiming worker',
  'a claim without a worker id');
select tests.refused($$ select * from public.claim_deliveries(tests.w(1), 0) $$, '22023',
  'p_limit must be a positive number of posts, not 0', 'a claim of no posts');
select tests.refused($$ select * from public.claim_deliveries(tests.w(1), 10, 0) $$, '22023',
  'p_lease_seconds must be a positive number of seconds, not 0', 'a lease of no time');

-- Claiming
select results_eq($$ select post_id, attempts from public.claim_deliveries(tests.w(1), 10, 120,
    array['aaaaaaaa-0000-4000-8000-000000000d05', 'aaaaaaaa-0000-4000-8000-000000000d02']::uuid[]) $$,
  $$ values ('aaaaaaaa-0000-4000-8000-000000000d05'::uuid, 3) $$,
  'p_post_ids restricts the claim (a listed post under another worker''s live lease is skipped); attempts + 1');
select results_eq($$ select post_id from public.claim_deliveries(tests.w(1), 2) $$,
  $$ values ('aaaaaaaa-0000-4000-8000-000000000d03'::uuid), ('aaaaaaaa-0000-4000-8000-000000000d01'::uuid) $$,
  'a limit takes the longest-waiting posts first, including one whose lease ran out');
select results_eq($$ select post_id, user_id, generation_id, account_id, caption, hashtags, delivery_key, attempts,
    platform::text, handle, remote_account_id, service_url, media_kind::text, media_url, prompt, text_body
    from public.claim_deliveries(tests.w(1)) $$,
  $$ values ('aaaaaaaa-0000-4000-8000-000000000d06'::uuid, 'aaaaaaaa-0000-4000-8000-000000000000'::uuid,
             'aaaaaaaa-0000-4000-8000-000000000002'::uuid, 'aaaaaaaa-0000-4000-8000-0000000000c1'::uuid,
             'Fox at dawn', array['#fox', '#dawn'], null::text, 1, 'bluesky', 'ana.bsky.social', 'did:plc:ana',
             'https://pds.example', 'image', 'http://media.test/ana/fox.png', 'a red fox at dawn',
             E'Fox at dawn\n\n#fox #dawn') $$,
  'a due scheduled post is claimed with everything the worker needs to send it');
select results_eq($$ select status, lease_owner, attempts from tests.post('d06') $$,
  $$ values ('publishing', tests.w(1), 1) $$, 'the claimed scheduled post is publishing under the worker''s lease');
select is((select lease_until from public.posts where id = 'aaaaaaaa-0000-4000-8000-000000000d06'), now() + interval '120 seconds',
  'the lease lasts p_lease_seconds');
select results_eq($$ select status, error from tests.post('d0b') $$,
  $$ values ('failed', 'The text is now too long for bluesky (300 max): shorten it and schedule again') $$,
  'a due post that no longer fits fails with the reason instead of being claimed');
select is_empty($$ select * from public.claim_deliveries(tests.w(2)) $$,
  'a second worker finds nothing: every claimable post is under a live lease');
select results_eq($$ select id::text, status::text, lease_owner from public.posts
    where id in ('aaaaaaaa-0000-4000-8000-000000000d02', 'aaaaaaaa-0000-4000-8000-000000000d04',
                 'aaaaaaaa-0000-4000-8000-000000000d07', 'aaaaaaaa-0000-4000-8000-000000000d08',
                 'aaaaaaaa-0000-4000-8000-000000000d09') order by id $$,
  $$ values ('aaaaaaaa-0000-4000-8000-000000000d02', 'publishing', tests.w(8)),
            ('aaaaaaaa-0000-4000-8000-000000000d04', 'publishing', null::uuid),
            ('aaaaaaaa-0000-4000-8000-000000000d07', 'scheduled', null),
            ('aaaaaaaa-0000-4000-8000-000000000d08', 'publishing', null),
            ('aaaaaaaa-0000-4000-8000-000000000d09', 'publishing', null) $$,
  'a live lease, a retry not yet due, a future post, a mock account and a platform without a connector are not claimed');
select results_eq($$ select status, lease_owner from tests.post('d0a') $$, $$ values ('publishing', null::uuid) $$,
  'a post of an expired account is not claimed');

-- An expired lease changed hands: the worker that lost it can no longer settle the post
select tests.refused($$ select public.complete_delivery('aaaaaaaa-0000-4000-8000-000000000d03', tests.w(9), 'x', null) $$,
  'P0001', 'Worker eeeeeeee-0000-4000-8000-000000000009 does not hold the lease on post aaaaaaaa-0000-4000-8000-000000000d03',
  'the worker whose lease ran out and was taken cannot complete the post');

-- The delivery key: set once by the lease holder, then fixed
select is(public.set_delivery_key('aaaaaaaa-0000-4000-8000-000000000d06', tests.w(1), '3kfoxtid22a'), '3kfoxtid22a',
  'the lease holder stores the delivery key');
select is(public.set_delivery_key('aaaaaaaa-0000-4000-8000-000000000d06', tests.w(1), 'another'), '3kfoxtid22a',
  'a second key is not stored: the first one comes back');
select tests.refused($$ select public.set_delivery_key('aaaaaaaa-0000-4000-8000-000000000d01', tests.w(2), 'k') $$,
  'P0001', null, 'another worker cannot set the key');
select tests.refused($$ select public.set_delivery_key('aaaaaaaa-0000-4000-8000-000000000d01', tests.w(1), ' ') $$,
  '22023', 'A delivery key is 1 to 200 characters', 'a blank key');
select tests.refused($$ update public.posts set delivery_key = 'changed' where id = 'aaaaaaaa-0000-4000-8000-000000000d06' $$,
  '55000', 'The delivery key of post aaaaaaaa-0000-4000-8000-000000000d06 is already set and cannot change',
  'not even service_role changes a stored key');

-- Completing
select tests.refused($$ select public.complete_delivery('aaaaaaaa-0000-4000-8000-000000000d01', tests.w(2), 'at://x', null) $$,
  'P0001', null, 'another worker cannot complete the post');
select tests.refused($$ select public.complete_delivery('aaaaaaaa-0000-4000-8000-000000000d01', tests.w(1), ' ', null) $$,
  '22023', 'A delivered post needs its remote id', 'a completion without the remote id');
select results_eq($$ select status::text, published_at = now(), remote_id, remote_url, error, lease_owner, lease_until, next_attempt_at
    from public.complete_delivery('aaaaaaaa-0000-4000-8000-000000000d01', tests.w(1),
      'at://did:plc:ana/app.bsky.feed.post/3kfoxtid22a', 'https://bsky.app/profile/ana.bsky.social/post/3kfoxtid22a') $$,
  $$ values ('published', true, 'at://did:plc:ana/app.bsky.feed.post/3kfoxtid22a',
             'https://bsky.app/profile/ana.bsky.social/post/3kfoxtid22a', null::text, null::uuid, null::timestamptz,
             null::timestamptz) $$,
  'the lease holder completes the post: published now, remote id and URL, lease cleared, in one update');
select tests.refused($$ select public.complete_delivery('aaaaaaaa-0000-4000-8000-000000000d01', tests.w(1), 'again', null) $$,
  'P0001', null, 'a published post cannot be completed again');

-- Deferring
select tests.refused($$ select public.defer_delivery('aaaaaaaa-0000-4000-8000-000000000d06', tests.w(2), now() + interval '30 seconds', 'busy') $$,
  'P0001', null, 'another worker cannot defer the post');
select tests.refused($$ select public.defer_delivery('aaaaaaaa-0000-4000-8000-000000000d06', tests.w(1), null, 'busy') $$,
  '22023', 'A deferred delivery needs the time of its next attempt', 'a deferral without a time');
select tests.refused($$ select public.defer_delivery('aaaaaaaa-0000-4000-8000-000000000d06', tests.w(1), now() + interval '30 seconds', '') $$,
  '22023', 'A deferred delivery needs the reason the creator will read', 'a deferral without a reason');
select results_eq($$ select status::text, next_attempt_at, error, lease_owner
    from public.defer_delivery('aaaaaaaa-0000-4000-8000-000000000d06', tests.w(1), now() + interval '2 minutes',
      'Bluesky is rate limiting: retrying') $$,
  $$ values ('publishing', now() + interval '2 minutes', 'Bluesky is rate limiting: retrying', null::uuid) $$,
  'a deferred post stays publishing with its next attempt time and reason, lease released');
select is_empty($$ select * from public.claim_deliveries(tests.w(2), 10, 120, array['aaaaaaaa-0000-4000-8000-000000000d06']::uuid[]) $$,
  'a deferred post is not claimed before its time');
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select results_eq($$ select status::text, next_attempt_at, error from public.posts where id = 'aaaaaaaa-0000-4000-8000-000000000d06' $$,
  $$ values ('publishing', now() + interval '2 minutes', 'Bluesky is rate limiting: retrying') $$,
  'the owner reads that it is retrying, when, and why');
select tests.as_runner();
update public.posts set next_attempt_at = now() - interval '1 second' where id = 'aaaaaaaa-0000-4000-8000-000000000d06';
select tests.as_service();
select results_eq($$ select post_id, delivery_key, attempts
    from public.claim_deliveries(tests.w(2), 10, 60, array['aaaaaaaa-0000-4000-8000-000000000d06']::uuid[]) $$,
  $$ values ('aaaaaaaa-0000-4000-8000-000000000d06'::uuid, '3kfoxtid22a', 2) $$,
  'once due, another worker claims it again with the stored key (attempt 2)');
select tests.refused($$ select public.fail_delivery('aaaaaaaa-0000-4000-8000-000000000d06', tests.w(1), 'late') $$,
  'P0001', null, 'the first worker no longer holds it');
select results_eq($$ select status::text, attempts
    from public.defer_delivery('aaaaaaaa-0000-4000-8000-000000000d06', tests.w(2), now() + interval '1 minute',
      'Rate limited by Bluesky: waiting for the limit to reset', false) $$,
  $$ values ('publishing', 1) $$,
  'a rate-limit deferral gives the claim''s attempt back: waiting is not a failed try');
-- Its account stops working while another worker holds it (a sibling post found the tokens dead).
select tests.as_runner();
update public.posts set next_attempt_at = now() - interval '1 second' where id = 'aaaaaaaa-0000-4000-8000-000000000d06';
select tests.as_service();
select is((select count(*)::int from public.claim_deliveries(tests.w(3), 10, 60, array['aaaaaaaa-0000-4000-8000-000000000d06']::uuid[])),
  1, 'claimed again');
select tests.as_runner();
update public.connected_accounts set status = 'expired'
where id = (select account_id from public.posts where id = 'aaaaaaaa-0000-4000-8000-000000000d06');
select tests.as_service();
select results_eq($$ select status::text, error, next_attempt_at, lease_owner
    from public.defer_delivery('aaaaaaaa-0000-4000-8000-000000000d06', tests.w(3), now() + interval '30 seconds', 'Bluesky did not answer') $$,
  $$ values ('failed', (select 'The ' || l.display_name || ' account @' || c.handle || ' is expired: reconnect it on the Accounts page, then use Retry post'
                        from public.posts p join public.connected_accounts c on c.id = p.account_id
                        join public.platform_limits l on l.platform = c.platform
                        where p.id = 'aaaaaaaa-0000-4000-8000-000000000d06'), null::timestamptz, null::uuid) $$,
  'a post whose account is no longer active is failed with what to do, never left waiting for a claim that cannot come');
select tests.as_runner();
update public.connected_accounts set status = 'active'
where id = (select account_id from public.posts where id = 'aaaaaaaa-0000-4000-8000-000000000d06');
-- Back under the second worker's lease, as before these two cases, for the failures below.
update public.posts set status = 'publishing', error = null, lease_owner = tests.w(2), lease_until = now() + interval '60 seconds'
where id = 'aaaaaaaa-0000-4000-8000-000000000d06';
select tests.as_service();

-- Failing
select tests.refused($$ select public.fail_delivery('aaaaaaaa-0000-4000-8000-000000000d05', tests.w(1), null) $$,
  '22023', 'A failed delivery needs the reason the creator will read', 'a failure without a reason');
select tests.refused($$ select public.fail_delivery('aaaaaaaa-0000-4000-8000-000000000d05', tests.w(1), 'x', 'active') $$,
  '22023', 'A failed delivery can only mark its account expired or revoked, not active', 'a failure cannot activate an account');
select results_eq($$ select status::text, error, lease_owner from public.fail_delivery('aaaaaaaa-0000-4000-8000-000000000d05',
    tests.w(1), 'Bluesky refused the post: invalid record') $$,
  $$ values ('failed', 'Bluesky refused the post: invalid record', null::uuid) $$, 'the lease holder fails the post with the reason');
select is((select status::text from public.connected_accounts where id = 'aaaaaaaa-0000-4000-8000-0000000000c1'), 'active',
  'a plain failure leaves the account as it was');
select results_eq($$ select status::text, error from public.fail_delivery('aaaaaaaa-0000-4000-8000-000000000d06',
    tests.w(2), 'Reconnect @ana.bsky.social: Bluesky ended the session', 'expired') $$,
  $$ values ('failed', 'Reconnect @ana.bsky.social: Bluesky ended the session') $$,
  'a failure because the session ended fails the post');
select is((select status::text from public.connected_accounts where id = 'aaaaaaaa-0000-4000-8000-0000000000c1'), 'expired',
  '… and marks the account expired in the same transaction');
select results_eq($$ select id::text, status::text, error from public.posts
    where account_id = 'aaaaaaaa-0000-4000-8000-0000000000c1' and id::text like '%d0%' order by id $$,
  $$ values ('aaaaaaaa-0000-4000-8000-000000000d01', 'published', null::text),
            ('aaaaaaaa-0000-4000-8000-000000000d04', 'failed', 'Reconnect @ana.bsky.social: Bluesky ended the session'),
            ('aaaaaaaa-0000-4000-8000-000000000d05', 'failed', 'Bluesky refused the post: invalid record'),
            ('aaaaaaaa-0000-4000-8000-000000000d06', 'failed', 'Reconnect @ana.bsky.social: Bluesky ended the session'),
            ('aaaaaaaa-0000-4000-8000-000000000d07', 'scheduled', null),
            ('aaaaaaaa-0000-4000-8000-000000000d0b', 'failed', 'The text is now too long for bluesky (300 max): shorten it and schedule again'),
            ('aaaaaaaa-0000-4000-8000-000000000d0c', 'published', null) $$,
  'the account''s other waiting post fails with the same reason; the scheduled one waits for its time');
select is_empty($$ select * from public.claim_deliveries(tests.w(3)) $$, 'nothing of the expired account is claimed any more');

select * from finish();
rollback;
