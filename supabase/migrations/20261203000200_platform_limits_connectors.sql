-- What the limits table needs to describe a platform Atelier really publishes to: the name a
-- creator reads, Bluesky's byte cap beside its character cap, Mastodon's fixed URL weight, and
-- whether a connector exists at all (without one, a post to an `active` account cannot go out).

alter table public.platform_limits
  add column display_name text,
  -- Null: no byte cap. Bluesky's post record takes at most 3,000 UTF-8 bytes besides 300 graphemes.
  add column caption_max_bytes integer check (caption_max_bytes > 0),
  -- Null: a URL counts as written. Mastodon counts every http(s) URL as 23 characters.
  add column url_length integer check (url_length > 0),
  add column has_connector boolean not null default false;

comment on column public.platform_limits.display_name is
  'The platform''s name as a creator reads it (Bluesky, LinkedIn, X …).';
comment on column public.platform_limits.caption_max_bytes is
  'Most UTF-8 bytes the text may take besides caption_max; null when the platform sets no byte cap.';
comment on column public.platform_limits.url_length is
  'How many characters each http(s) URL counts for, whatever its length; null when URLs count as written.';
comment on column public.platform_limits.has_connector is
  'Whether Atelier can really send a post there (an active account of a platform without one cannot publish).';

update public.platform_limits l set display_name = v.name
from (values
  ('instagram', 'Instagram'), ('tiktok', 'TikTok'), ('x', 'X'), ('linkedin', 'LinkedIn'),
  ('facebook', 'Facebook'), ('youtube', 'YouTube'), ('threads', 'Threads'), ('pinterest', 'Pinterest')
) as v(platform, name)
where l.platform = v.platform::public.platform;

-- Bluesky: 300 graphemes and 3,000 bytes per post record; counted here in code points (never fewer
-- than graphemes, so the check is cautious). Images of any ratio, no video connector yet.
-- Mastodon: 500 characters on mastodon.social (an account's own instance limit, read when it is
-- connected, overrides this), every URL counting 23; images and videos of any ratio.
insert into public.platform_limits
  (platform, display_name, caption_max, caption_counts_bytes, caption_max_bytes, url_length, hashtag_max,
   supports_image, supports_video, has_connector,
   preferred_image_ratio, preferred_video_ratio, image_ratios, video_ratios) values
  ('bluesky', 'Bluesky', 300, false, 3000, null, 30, true, false, true,
   '1:1', null, '{1:1,4:5,9:16,16:9,2:3}', '{}'),
  ('mastodon', 'Mastodon', 500, false, null, 23, 30, true, true, true,
   '1:1', '16:9', '{1:1,4:5,9:16,16:9,2:3}', '{1:1,4:5,9:16,16:9,2:3}');

alter table public.platform_limits
  alter column display_name set not null,
  add constraint platform_limits_display_name_length check (char_length(btrim(display_name)) between 1 and 50);
