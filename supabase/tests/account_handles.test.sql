-- Handles per platform: the database's rule (public.account_handle_is_valid, behind the
-- connected_accounts_handle_format check) on one table of cases. src/domain/handles_tests.rs reads
-- the same table from this file, so the app's rule and this one agree case by case.
begin;
\ir setup/helpers.sql
select * from no_plan();

create temp table handle_cases (platform public.platform, handle text, accepted boolean);
insert into handle_cases (platform, handle, accepted) values
  ('instagram', 'atelier.demo', true),
  ('instagram', 'ana_ig.2', true),
  ('instagram', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', true),
  ('instagram', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', false),
  ('instagram', 'my cool handle', false),
  ('instagram', 'ana-ig', false),
  ('instagram', 'anä', false),
  ('instagram', '@ana', false),
  ('instagram', '', false),
  ('threads', 'atelier.demo', true),
  ('threads', 'ana threads', false),
  ('x', 'atelier_demo', true),
  ('x', 'ana_x', true),
  ('x', 'aaaaaaaaaaaaaaa', true),
  ('x', 'aaaaaaaaaaaaaaaa', false),
  ('x', 'caption.x', false),
  ('x', 'mock-1234', false),
  ('x', '   ', false),
  ('tiktok', 'ana.tok', true),
  ('tiktok', 'aaaaaaaaaaaaaaaaaaaaaaaa', true),
  ('tiktok', 'aaaaaaaaaaaaaaaaaaaaaaaaa', false),
  ('tiktok', 'ana-tok', false),
  ('linkedin', 'robin-studio', true),
  ('linkedin', 'caption.linkedin', true),
  ('linkedin', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', true),
  ('linkedin', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', false),
  ('linkedin', 'robin studio', false),
  ('linkedin', 'robin/studio', false),
  ('facebook', 'atelier.demo.page', true),
  ('facebook', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', true),
  ('facebook', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', false),
  ('facebook', 'o''brien', false),
  ('youtube', 'tube-ana_1', true),
  ('youtube', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', true),
  ('youtube', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', false),
  ('pinterest', 'atelierdemo', true),
  ('pinterest', 'pin!', false),
  ('bluesky', 'alice.bsky.social', true),
  ('bluesky', 'Bob.test', true),
  ('bluesky', 'ana.mock', true),
  ('bluesky', 'xn--caf-dma.example', true),
  ('bluesky', 'alice', false),
  ('bluesky', '-alice.test', false),
  ('bluesky', 'alice-.test', false),
  ('bluesky', 'alice.123', false),
  ('bluesky', 'alice..test', false),
  ('bluesky', 'alice.bsky.social:80', false),
  ('bluesky', 'did:plc:abc', false),
  ('bluesky', 'alice bsky.social', false),
  ('bluesky', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.test', false),
  ('mastodon', 'ana@masto.example', true),
  ('mastodon', 'alice_renamed@masto.example', true),
  ('mastodon', 'alice@127.0.0.1:40123', true),
  ('mastodon', 'alice@localhost', true),
  ('mastodon', 'caption.mastodon', false),
  ('mastodon', '@ana@masto.example', false),
  ('mastodon', 'ana@', false),
  ('mastodon', 'ana@@masto.example', false),
  ('mastodon', 'ana@masto.example:123456', false),
  ('mastodon', 'ana@masto.example:', false),
  ('mastodon', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@masto.example', false),
  ('mastodon', 'ana cool@masto.example', false);

select is_empty($$ select platform, handle, accepted from handle_cases
    where public.account_handle_is_valid(platform, handle) is distinct from accepted $$,
  'every platform accepts exactly the handles of its table');

select is((select convalidated from pg_catalog.pg_constraint
    where conrelid = 'public.connected_accounts'::regclass and conname = 'connected_accounts_handle_format'), false,
  'the check is NOT VALID: rows written before it stay');

select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select throws_ok($$ insert into public.connected_accounts (platform, handle) values ('instagram', 'my cool handle') $$,
  '23514', 'new row for relation "connected_accounts" violates check constraint "connected_accounts_handle_format"',
  'a handle with spaces is refused with the check''s name');
select throws_ok($$ insert into public.connected_accounts (platform, handle) values ('x', 'far_too_long_for_x') $$,
  '23514', null, 'an X handle over 15 characters is refused');
select throws_ok($$ insert into public.connected_accounts (platform, handle) values ('mastodon', 'ana') $$,
  '23514', null, 'a Mastodon handle without its instance is refused');
select is_empty($$ select 1 from public.connected_accounts
    where handle in ('my cool handle', 'far_too_long_for_x', 'ana') $$, 'nothing refused was written');
select lives_ok($$ insert into public.connected_accounts (platform, handle) values ('mastodon', 'ana@masto.example') $$,
  'a Mastodon user@instance is accepted');
select lives_ok($$ insert into public.connected_accounts (platform, handle) values ('bluesky', 'ana.bsky.social') $$,
  'a Bluesky domain handle is accepted');

-- What the connect functions store as service_role: a Bluesky handle and a Mastodon
-- user@host:port (a local instance).
select tests.as_service();
select lives_ok($$ insert into public.connected_accounts (user_id, platform, handle, status, remote_id, service_url)
  values ('aaaaaaaa-0000-4000-8000-000000000000', 'mastodon', 'alice@127.0.0.1:40123', 'active', '1@127.0.0.1:40123',
          'http://127.0.0.1:40123') $$,
  'a connected Mastodon account on a local instance with a port is accepted');

select * from finish();
rollback;
