-- Demo data for local runs: `make dev` prints this login.
--   email: demo@atelier.test   password: atelier-demo
-- Token columns are '' (not NULL) as GoTrue expects of rows written by hand.

insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  confirmation_token, recovery_token, email_change_token_new, email_change,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at
) values (
  '00000000-0000-0000-0000-000000000000', 'd0d0d0d0-0000-4000-8000-000000000001',
  'authenticated', 'authenticated', 'demo@atelier.test',
  extensions.crypt('atelier-demo', extensions.gen_salt('bf')), now(),
  '', '', '', '',
  '{"provider":"email","providers":["email"]}', '{"email_verified":true}', now(), now()
);

insert into auth.identities (id, provider_id, user_id, identity_data, provider, created_at, updated_at)
values (
  'd0d0d0d0-0000-4000-8000-0000000000aa', 'd0d0d0d0-0000-4000-8000-000000000001',
  'd0d0d0d0-0000-4000-8000-000000000001',
  '{"sub":"d0d0d0d0-0000-4000-8000-000000000001","email":"demo@atelier.test","email_verified":true,"phone_verified":false}',
  'email', now(), now()
);

insert into public.sessions (id, user_id, title, created_at, updated_at) values
  ('5e55e55e-0000-4000-8000-000000000001', 'd0d0d0d0-0000-4000-8000-000000000001',
   'Autumn lookbook', now() - interval '2 days', now() - interval '2 days'),
  ('5e55e55e-0000-4000-8000-000000000002', 'd0d0d0d0-0000-4000-8000-000000000001',
   'Coffee shop reels', now() - interval '3 hours', now() - interval '3 hours');
