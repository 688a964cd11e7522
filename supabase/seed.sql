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

-- Accounts to publish to: mock ones on several platforms, plus an expired and a revoked one
-- so the distribution step has something to filter out.
insert into public.connected_accounts (id, user_id, platform, handle, display_name, status, timezone) values
  ('acc00000-0000-4000-8000-000000000001', 'd0d0d0d0-0000-4000-8000-000000000001', 'instagram', 'atelier.demo', 'Atelier Demo', 'mock', 'Europe/Paris'),
  ('acc00000-0000-4000-8000-000000000002', 'd0d0d0d0-0000-4000-8000-000000000001', 'tiktok', 'atelierdemo', 'Atelier Demo', 'mock', null),
  ('acc00000-0000-4000-8000-000000000003', 'd0d0d0d0-0000-4000-8000-000000000001', 'x', 'atelier_demo', 'Atelier Demo', 'mock', null),
  ('acc00000-0000-4000-8000-000000000004', 'd0d0d0d0-0000-4000-8000-000000000001', 'linkedin', 'atelier-demo', 'Atelier Demo', 'mock', 'America/New_York'),
  ('acc00000-0000-4000-8000-000000000005', 'd0d0d0d0-0000-4000-8000-000000000001', 'threads', 'atelier.demo', 'Atelier Demo', 'mock', null),
  ('acc00000-0000-4000-8000-000000000006', 'd0d0d0d0-0000-4000-8000-000000000001', 'facebook', 'atelier.demo.page', 'Atelier Demo Page', 'expired', null),
  ('acc00000-0000-4000-8000-000000000007', 'd0d0d0d0-0000-4000-8000-000000000001', 'pinterest', 'atelierdemo', 'Atelier Demo', 'revoked', null);

-- Completed image generations in the "Autumn lookbook" session. Their files live in storage
-- under generated_assets/<user_id>/<generation_id>/ once the local stack serves Storage.
insert into public.generations
  (id, session_id, user_id, kind, prompt, params, status, media_path, media_url, thumbnail_url,
   width, height, provider, model, attempts, created_at, updated_at, completed_at)
select g.id, '5e55e55e-0000-4000-8000-000000000001', 'd0d0d0d0-0000-4000-8000-000000000001', 'image',
       g.prompt, jsonb_build_object('aspect_ratio', '4:5', 'count', 1, 'seed', g.seed, 'model', 'demo-1'),
       'completed', 'd0d0d0d0-0000-4000-8000-000000000001/' || g.id || '/image.png',
       'http://127.0.0.1:54321/storage/v1/object/public/generated_assets/d0d0d0d0-0000-4000-8000-000000000001/' || g.id || '/image.png',
       'http://127.0.0.1:54321/storage/v1/object/public/generated_assets/d0d0d0d0-0000-4000-8000-000000000001/' || g.id || '/image.png',
       1080, 1350, 'demo', 'demo-1', 1, now() - g.age, now() - g.age, now() - g.age
from (values
  ('9e000000-0000-4000-8000-000000000001'::uuid, 'Oversized camel coat on a rainy Paris street, golden hour', 101, interval '47 hours'),
  ('9e000000-0000-4000-8000-000000000002'::uuid, 'Knitted scarf flat lay with dried maple leaves, top-down', 202, interval '46 hours'),
  ('9e000000-0000-4000-8000-000000000003'::uuid, 'Model in a burgundy turtleneck among autumn vineyards', 303, interval '45 hours')
) as g(id, prompt, seed, age);

-- One post already out, so the posts view is not empty.
insert into public.posts (user_id, generation_id, account_id, caption, hashtags, status, published_at)
values ('d0d0d0d0-0000-4000-8000-000000000001', '9e000000-0000-4000-8000-000000000001',
        'acc00000-0000-4000-8000-000000000001', 'Rainy days, warm coats.', '{#autumn,#lookbook}',
        'published', now() - interval '40 hours');
