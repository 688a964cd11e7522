-- Per-platform publishing limits, kept as data in one place (from
-- shared/reference/platform-limits.md). publish_generation and the app read them from here.

create table public.platform_limits (
  platform public.platform primary key,
  caption_max integer not null check (caption_max > 0),
  -- Threads counts emoji as their UTF-8 bytes; everyone else counts characters.
  caption_counts_bytes boolean not null default false,
  hashtag_max integer not null check (hashtag_max between 0 and 30),
  supports_image boolean not null,
  supports_video boolean not null,
  -- Whether Atelier can publish there at all today.
  supported boolean not null default true
);

comment on table public.platform_limits is
  'Caption, hashtag and media rules per platform: the one source publish_generation enforces.';

insert into public.platform_limits
  (platform, caption_max, caption_counts_bytes, hashtag_max, supports_image, supports_video) values
  ('instagram', 2200, false, 5, true, true),
  ('tiktok', 2200, false, 30, true, true),
  ('x', 280, false, 30, true, true),
  ('linkedin', 3000, false, 30, true, true),
  ('facebook', 63206, false, 30, true, true),
  ('youtube', 5000, false, 15, false, true),
  ('threads', 500, true, 1, true, true),
  ('pinterest', 500, false, 30, true, true);

alter table public.platform_limits enable row level security;

create policy "platform_limits: signed-in users read"
  on public.platform_limits for select to authenticated
  using (true);

revoke all on table public.platform_limits from anon, authenticated;
grant select on table public.platform_limits to authenticated;
grant all on table public.platform_limits to service_role;
