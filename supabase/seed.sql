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

-- A creator's story: an older seaside shoot, the autumn lookbook, coffee shop reels, and the
-- newest session (a forest trail launch), which /app/generate opens first, full of results.
insert into public.sessions (id, user_id, title, created_at, updated_at) values
  ('5e55e55e-0000-4000-8000-000000000003', 'd0d0d0d0-0000-4000-8000-000000000001',
   'Linen by the sea', now() - interval '5 days', now() - interval '5 days'),
  ('5e55e55e-0000-4000-8000-000000000001', 'd0d0d0d0-0000-4000-8000-000000000001',
   'Autumn lookbook', now() - interval '2 days', now() - interval '2 days'),
  ('5e55e55e-0000-4000-8000-000000000002', 'd0d0d0d0-0000-4000-8000-000000000001',
   'Coffee shop reels', now() - interval '3 hours', now() - interval '3 hours'),
  ('5e55e55e-0000-4000-8000-000000000004', 'd0d0d0d0-0000-4000-8000-000000000001',
   'Forest trail launch', now() - interval '40 minutes', now() - interval '40 minutes');

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

-- Completed generations with real media: the files under supabase/seed/generated_assets/
-- (made by supabase/seed/generate_assets.ts with the demo provider) are stored in the bucket
-- after this file runs ([storage.buckets.generated_assets] objects_path in config.toml), at
-- the paths below. Public URLs name the API this instance serves: supabase-local sets
-- supabase_local.api_url; the Supabase CLI's local API is http://127.0.0.1:54321.
insert into public.generations
  (id, session_id, user_id, kind, prompt, params, status, media_path, media_url, thumbnail_url,
   width, height, duration_ms, provider, model, attempts, starred, created_at, updated_at, completed_at)
select g.id, g.session_id, 'd0d0d0d0-0000-4000-8000-000000000001', g.kind::public.media_kind, g.prompt,
       g.params || jsonb_build_object('count', 1, 'model', 'atelier-demo-1', 'width', g.width, 'height', g.height),
       'completed', g.folder || g.file, m.base || g.folder || g.file, m.base || g.folder || 'thumbnail-1.png',
       g.width, g.height, g.duration_ms, 'demo', 'atelier-demo-1', 1, g.starred,
       now() - g.age, now() - g.age, now() - g.age
from (select coalesce(nullif(current_setting('supabase_local.api_url', true), ''), 'http://127.0.0.1:54321')
             || '/storage/v1/object/public/generated_assets/' as base) m, (
  select *, 'd0d0d0d0-0000-4000-8000-000000000001/' || id || '/' as folder
  from (values
    ('9e000000-0000-4000-8000-000000000001'::uuid, '5e55e55e-0000-4000-8000-000000000001'::uuid, 'image',
     'Oversized camel coat on a rainy Paris street, golden hour', 'image-1.png', 320, 400, null::integer,
     '{"aspect_ratio":"4:5","seed":101,"targets":["instagram"]}'::jsonb, false, interval '47 hours'),
    ('9e000000-0000-4000-8000-000000000002', '5e55e55e-0000-4000-8000-000000000001', 'image',
     'Knitted scarf flat lay with dried maple leaves, top-down', 'image-1.png', 320, 400, null,
     '{"aspect_ratio":"4:5","seed":202,"targets":["instagram"]}', true, interval '46 hours'),
    ('9e000000-0000-4000-8000-000000000003', '5e55e55e-0000-4000-8000-000000000001', 'image',
     'Model in a burgundy turtleneck among autumn vineyards', 'image-1.png', 320, 400, null,
     '{"aspect_ratio":"4:5","seed":303,"targets":["instagram"]}', false, interval '45 hours'),
    ('9e000000-0000-4000-8000-000000000004', '5e55e55e-0000-4000-8000-000000000002', 'video',
     'Latte art pour in a sunny coffee shop, slow motion', 'video-1.mp4', 36, 64, 1000,
     '{"aspect_ratio":"9:16","seed":404,"duration_ms":1000,"fps":12,"targets":["tiktok","instagram"]}', false,
     interval '2 hours'),
    ('9e000000-0000-4000-8000-000000000005', '5e55e55e-0000-4000-8000-000000000003', 'image',
     'White linen shirt on a windswept sea cliff, morning light', 'image-1.png', 320, 400, null,
     '{"aspect_ratio":"4:5","seed":505,"targets":["instagram","threads"]}', true, interval '119 hours'),
    ('9e000000-0000-4000-8000-000000000006', '5e55e55e-0000-4000-8000-000000000003', 'image',
     'Straw hat and linen dress by the sea waves at sunset', 'image-1.png', 320, 400, null,
     '{"aspect_ratio":"4:5","seed":606,"targets":["instagram","facebook"]}', false, interval '118 hours'),
    ('9e000000-0000-4000-8000-000000000007', '5e55e55e-0000-4000-8000-000000000004', 'image',
     'Waxed jacket on a misty forest trail among pine trees', 'image-1.png', 320, 400, null,
     '{"aspect_ratio":"4:5","seed":707,"targets":["instagram","linkedin"]}', false, interval '35 minutes'),
    ('9e000000-0000-4000-8000-000000000008', '5e55e55e-0000-4000-8000-000000000004', 'image',
     'Hiking boots on mossy forest rocks, close-up', 'image-1.png', 320, 400, null,
     '{"aspect_ratio":"4:5","seed":808,"targets":["instagram","x"]}', true, interval '30 minutes'),
    ('9e000000-0000-4000-8000-000000000009', '5e55e55e-0000-4000-8000-000000000004', 'image',
     'Campfire at night in the forest, wool blanket and tin mugs', 'image-1.png', 320, 400, null,
     '{"aspect_ratio":"4:5","seed":909,"targets":["instagram"]}', false, interval '25 minutes')
  ) as v(id, session_id, kind, prompt, file, width, height, duration_ms, params, starred, age)
) g;

-- Posts: some out, some scheduled for the coming days, one failed with its reason. Scheduled
-- times are a day offset and a time of day on the account's clock, counted from the day this
-- file runs (each fresh data dir): always more than a day ahead, so pg_cron's minute sweep
-- (publish_due_posts) leaves them scheduled until their day comes.
insert into public.posts
  (user_id, generation_id, account_id, caption, hashtags, status, scheduled_at, published_at, error, created_at)
select 'd0d0d0d0-0000-4000-8000-000000000001', p.generation_id, p.account_id, p.caption, p.hashtags,
       p.status::public.post_status,
       coalesce((date_trunc('day', now() at time zone z.tz) + p.local_at) at time zone z.tz, p.scheduled_at),
       p.published_at, p.error,
       case when p.status = 'failed' then p.scheduled_at - interval '1 day'
            else coalesce(p.published_at, now() - interval '20 minutes') end
from (values
  -- Out already (on mock accounts, as publishing to them does).
  ('9e000000-0000-4000-8000-000000000005'::uuid, 'acc00000-0000-4000-8000-000000000001'::uuid,
   'Salt air, soft linen.', '{#linen,#seaside}'::text[], 'published', null::timestamptz,
   now() - interval '4 days', null::text, null::interval),
  ('9e000000-0000-4000-8000-000000000005', 'acc00000-0000-4000-8000-000000000005',
   'Salt air, soft linen.', '{#linen,#seaside}', 'published', null, now() - interval '4 days', null, null),
  ('9e000000-0000-4000-8000-000000000001', 'acc00000-0000-4000-8000-000000000001',
   'Rainy days, warm coats.', '{#autumn,#lookbook}', 'published', null, now() - interval '40 hours', null, null),
  ('9e000000-0000-4000-8000-000000000004', 'acc00000-0000-4000-8000-000000000002',
   'Morning pour, slow and steady.', '{#coffee,#latteart}', 'published', null, now() - interval '1 hour', null, null),
  -- The forest launch, going out over the coming days.
  ('9e000000-0000-4000-8000-000000000008', 'acc00000-0000-4000-8000-000000000001',
   'Made for the long way round.', '{#trail,#outdoors}', 'scheduled', null, null, null, interval '2 days 9 hours'),
  ('9e000000-0000-4000-8000-000000000008', 'acc00000-0000-4000-8000-000000000003',
   'Made for the long way round.', '{#trail,#outdoors}', 'scheduled', null, null, null, interval '2 days 9 hours'),
  ('9e000000-0000-4000-8000-000000000007', 'acc00000-0000-4000-8000-000000000004',
   'Our waxed trail jacket is out this week: built for misty mornings.', '{#launch}', 'scheduled',
   null, null, null, interval '3 days 8 hours 30 minutes'),
  ('9e000000-0000-4000-8000-000000000009', 'acc00000-0000-4000-8000-000000000001',
   'Last light, warm hands.', '{#campfire,#trail}', 'scheduled', null, null, null, interval '4 days 18 hours'),
  -- Scheduled to the Facebook page while it was connected; its access expired before the day,
  -- so the sweep failed it with the reason it gives (publish_due_posts).
  ('9e000000-0000-4000-8000-000000000006', 'acc00000-0000-4000-8000-000000000006',
   'Golden hour, gone in minutes.', '{#sunset,#linen}', 'failed', now() - interval '3 days', null,
   'The facebook account @atelier.demo.page is expired: reconnect it on the Accounts page and schedule again', null)
) as p(generation_id, account_id, caption, hashtags, status, scheduled_at, published_at, error, local_at)
cross join lateral (select coalesce(c.timezone, 'UTC') as tz from public.connected_accounts c where c.id = p.account_id) z;
