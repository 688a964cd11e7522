-- Where secrets live: account tokens, Mastodon app secrets and OAuth state/PKCE verifiers are in
-- tables only service_role reaches (RLS on, no policy, no grant to anon/authenticated), hold only
-- sealed values (a token in clear is refused), and follow their account or user away.
-- connected_accounts gains only non-secret columns, which clients may read but not write.
begin;
\ir setup/helpers.sql
select * from no_plan();

insert into public.connected_accounts (id, user_id, platform, handle, status, remote_id, service_url, caption_max) values
  ('aaaaaaaa-0000-4000-8000-0000000000c1', 'aaaaaaaa-0000-4000-8000-000000000000', 'bluesky', 'ana.bsky.social', 'active',
   'did:plc:ana', 'https://pds.example', null),
  ('aaaaaaaa-0000-4000-8000-0000000000c2', 'aaaaaaaa-0000-4000-8000-000000000000', 'mastodon', 'ana@masto.example', 'active',
   '1@masto.example', 'https://masto.example', 1000);

-- The catalog: nothing for clients
select is_empty($$ select t || ':' || r || ':' || p
    from unnest(array['public.account_credentials', 'public.mastodon_apps', 'public.oauth_states',
                      'private.worker_endpoint']) t,
         unnest(array['anon', 'authenticated']) r,
         unnest(array['select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger']) p
    where has_table_privilege(r, t, p) or (p in ('select', 'insert', 'update', 'references') and has_any_column_privilege(r, t, p)) $$,
  'anon and authenticated hold no privilege, table or column, on the secret tables');
select results_eq($$ select c.oid::regclass::text, c.relrowsecurity, (select count(*)::int from pg_policy p where p.polrelid = c.oid)
    from pg_class c where c.oid in ('public.account_credentials'::regclass, 'public.mastodon_apps'::regclass,
                                    'public.oauth_states'::regclass, 'private.worker_endpoint'::regclass) order by 1 $$,
  $$ values ('account_credentials', true, 0), ('mastodon_apps', true, 0), ('oauth_states', true, 0),
            ('private.worker_endpoint', true, 0) $$,
  'each has row level security on and no policy');

-- The server side stores sealed values
select tests.as_service();
select lives_ok($$ insert into public.account_credentials (account_id, user_id, access_token, refresh_token, expires_at)
    values ('aaaaaaaa-0000-4000-8000-0000000000c1', 'aaaaaaaa-0000-4000-8000-000000000000',
            'v1.AAECAwQFBgcICQoL.c2VhbGVkIGFjY2Vzcw==', 'v1.DA0ODxAREhMUFRYX.c2VhbGVkIHJlZnJlc2g=', now() + interval '2 hours') $$,
  'service_role stores sealed tokens for an account');
select throws_ok($$ insert into public.account_credentials (account_id, user_id, access_token)
    values ('aaaaaaaa-0000-4000-8000-0000000000c2', 'aaaaaaaa-0000-4000-8000-000000000000',
            'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkaWQ6cGxjOmFuYSJ9.sig') $$,
  '23514', null, 'a token in clear (a JWT) is refused');
select throws_ok($$ insert into public.account_credentials (account_id, user_id, access_token, refresh_token)
    values ('aaaaaaaa-0000-4000-8000-0000000000c2', 'aaaaaaaa-0000-4000-8000-000000000000', 'v1.aXY=.Y3Q=', 'plain-refresh') $$,
  '23514', null, 'a refresh token in clear is refused');
select throws_ok($$ insert into public.account_credentials (account_id, user_id, access_token)
    values ('aaaaaaaa-0000-4000-8000-0000000000c2', 'bbbbbbbb-0000-4000-8000-000000000000', 'v1.aXY=.Y3Q=') $$,
  '23503', null, 'credentials name the account''s own user');
select lives_ok($$ update public.account_credentials set access_token = 'v1.bmV3aXY=.bmV3Y3Q=', refresh_token = 'v1.bmV3aXY=.bmV3cmVm'
    where account_id = 'aaaaaaaa-0000-4000-8000-0000000000c1' $$, 'a refreshed pair replaces the old one in one update');

select throws_ok($$ insert into public.mastodon_apps (instance_url, redirect_uri, client_id, client_secret, scopes)
    values ('https://masto.example', 'http://localhost:8080/app/accounts', 'cid', 'raw-secret', 'write:statuses') $$,
  '23514', null, 'a Mastodon client secret in clear is refused');
select lives_ok($$ insert into public.mastodon_apps (instance_url, redirect_uri, client_id, client_secret, scopes)
    values ('https://masto.example', 'http://localhost:8080/app/accounts', 'cid', 'v1.aXY=.c2VjcmV0',
            'write:statuses write:media read:accounts') $$, 'service_role registers an app per instance and redirect URI');
select throws_ok($$ insert into public.mastodon_apps (instance_url, redirect_uri, client_id, client_secret, scopes)
    values ('https://masto.example', 'http://localhost:8080/app/accounts', 'cid2', 'v1.aXY=.c2VjcmV0', 'x') $$,
  '23505', null, 'one app per instance and redirect URI');

select lives_ok($$ insert into public.oauth_states (state, user_id, instance_url, redirect_uri, code_verifier)
    values ('state-0123456789abcdef', 'aaaaaaaa-0000-4000-8000-000000000000', 'https://masto.example',
            'http://localhost:8080/app/accounts', 'v1.aXY=.dmVyaWZpZXI=') $$, 'service_role records an authorization in progress');
select is((select expires_at from public.oauth_states where state = 'state-0123456789abcdef'), now() + interval '10 minutes',
  'a state expires after 10 minutes');
select throws_ok($$ insert into public.oauth_states (state, user_id, instance_url, redirect_uri, code_verifier)
    values ('state-fedcba9876543210', 'aaaaaaaa-0000-4000-8000-000000000000', 'https://masto.example',
            'http://localhost:8080/app/accounts', 'plain-verifier-plain-verifier-plain-verifier') $$,
  '23514', null, 'a PKCE verifier in clear is refused');
select throws_ok($$ insert into public.oauth_states (state, user_id, instance_url, redirect_uri, code_verifier)
    values ('short', 'aaaaaaaa-0000-4000-8000-000000000000', 'https://masto.example',
            'http://localhost:8080/app/accounts', 'v1.aXY=.dmVyaWZpZXI=') $$,
  '23514', null, 'a guessable state is refused');

-- Clients reach none of it, not even their own
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select throws_ok($$ select * from public.account_credentials $$, '42501', null, 'the owner cannot read their account''s tokens');
select throws_ok($$ select * from public.oauth_states $$, '42501', null, 'the owner cannot read their OAuth state');
select throws_ok($$ select * from public.mastodon_apps $$, '42501', null, 'a user cannot read app registrations');
select throws_ok($$ insert into public.account_credentials (account_id, user_id, access_token)
    values ('aaaaaaaa-0000-4000-8000-0000000000c2', 'aaaaaaaa-0000-4000-8000-000000000000', 'v1.aXY=.Y3Q=') $$,
  '42501', null, 'a user cannot plant tokens');
select throws_ok($$ delete from public.account_credentials $$, '42501', null, 'a user cannot delete tokens directly');
select throws_ok($$ select * from private.worker_endpoint $$, '42501', null, 'a user cannot read the worker endpoint');
select tests.as_anon();
select throws_ok($$ select * from public.account_credentials $$, '42501', null, 'anon cannot read tokens');
select throws_ok($$ select * from public.oauth_states $$, '42501', null, 'anon cannot read OAuth state');

-- connected_accounts: the new columns are the owner's to read, not to write
select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select results_eq($$ select remote_id, service_url, caption_max from public.connected_accounts
    where id in ('aaaaaaaa-0000-4000-8000-0000000000c1', 'aaaaaaaa-0000-4000-8000-0000000000c2') order by id $$,
  $$ values ('did:plc:ana', 'https://pds.example', null::int), ('1@masto.example', 'https://masto.example', 1000) $$,
  'the owner reads the remote id, service URL and caption limit');
select throws_ok($$ insert into public.connected_accounts (platform, handle, remote_id) values ('bluesky', 'fake.bsky', 'did:plc:victim') $$,
  '42501', null, 'a client cannot claim a remote identity');
select throws_ok($$ update public.connected_accounts set service_url = 'https://evil.example' where id = 'aaaaaaaa-0000-4000-8000-0000000000c1' $$,
  '42501', null, 'a client cannot point an account at another server');
select throws_ok($$ update public.connected_accounts set caption_max = 100000 where id = 'aaaaaaaa-0000-4000-8000-0000000000c2' $$,
  '42501', null, 'a client cannot raise its own text limit');
select throws_ok($$ update public.connected_accounts set remote_id = 'did:plc:other' where id = 'aaaaaaaa-0000-4000-8000-0000000000c1' $$,
  '42501', null, 'a client cannot change the remote id');
select lives_ok($$ insert into public.connected_accounts (platform, handle) values ('mastodon', 'ana@try.example') $$,
  'a client may still add a mock Mastodon account');
select tests.as_user('bbbbbbbb-0000-4000-8000-000000000000');
select is_empty($$ select remote_id from public.connected_accounts where user_id = 'aaaaaaaa-0000-4000-8000-000000000000' $$,
  'another user reads none of it');

select tests.as_service();
select throws_ok($$ insert into public.connected_accounts (user_id, platform, handle, status, remote_id)
    values ('aaaaaaaa-0000-4000-8000-000000000000', 'bluesky', 'renamed.bsky.social', 'active', 'did:plc:ana') $$,
  '23505', null, 'one account per user, platform and remote id (a new handle is the same account)');
select lives_ok($$ insert into public.connected_accounts (user_id, platform, handle, status, remote_id)
    values ('bbbbbbbb-0000-4000-8000-000000000000', 'bluesky', 'ana.bsky.social', 'active', 'did:plc:ana') $$,
  'another user may connect the same remote account');
select lives_ok($$ insert into public.connected_accounts (user_id, platform, handle, status)
    values ('aaaaaaaa-0000-4000-8000-000000000000', 'bluesky', 'one.mock', 'mock'),
           ('aaaaaaaa-0000-4000-8000-000000000000', 'bluesky', 'two.mock', 'mock') $$,
  'accounts without a remote id never collide');
select results_eq($$ insert into public.connected_accounts (user_id, platform, handle, status, remote_id, service_url)
    values ('aaaaaaaa-0000-4000-8000-000000000000', 'bluesky', 'ana.renamed', 'active', 'did:plc:ana', 'https://pds2.example')
    on conflict (user_id, platform, remote_id) do update set handle = excluded.handle, service_url = excluded.service_url
    returning id, handle, service_url $$,
  $$ values ('aaaaaaaa-0000-4000-8000-0000000000c1'::uuid, 'ana.renamed', 'https://pds2.example') $$,
  'a reconnection upserts on (user_id, platform, remote_id): same row, new handle and server');
select throws_ok($$ update public.connected_accounts set caption_max = 0 where id = 'aaaaaaaa-0000-4000-8000-0000000000c2' $$,
  '23514', null, 'a caption limit is positive');
select throws_ok($$ update public.connected_accounts set service_url = 'ftp://masto.example' where id = 'aaaaaaaa-0000-4000-8000-0000000000c2' $$,
  '23514', null, 'a service URL is http(s)');

-- Credentials go with their account
delete from public.connected_accounts where id = 'aaaaaaaa-0000-4000-8000-0000000000c1';
select is((select count(*)::int from public.account_credentials where account_id = 'aaaaaaaa-0000-4000-8000-0000000000c1'), 0,
  'deleting an account deletes its credentials');
select tests.as_runner();
delete from auth.users where id = 'aaaaaaaa-0000-4000-8000-000000000000';
select is((select count(*)::int from public.oauth_states where user_id = 'aaaaaaaa-0000-4000-8000-000000000000'), 0,
  'deleting a user deletes their OAuth state');

select * from finish();
rollback;
