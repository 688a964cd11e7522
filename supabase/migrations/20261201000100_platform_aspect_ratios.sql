-- Aspect ratios per platform, kept as data beside the other limits (from
-- shared/reference/platform-limits.md): the ratio each platform prefers for images and videos,
-- and every ratio of Atelier's set it accepts. The Generate page's "Made for" picks a ratio
-- every target accepts (src/domain/platforms.rs mirrors the rule).

create type public.aspect_ratio as enum ('1:1', '4:5', '9:16', '16:9', '2:3');

comment on type public.aspect_ratio is
  'The aspect ratios Atelier generates, width:height (mirrored by AspectRatio in src/domain/platforms.rs).';

alter table public.platform_limits
  add column preferred_image_ratio public.aspect_ratio,
  add column preferred_video_ratio public.aspect_ratio,
  add column image_ratios public.aspect_ratio[] not null default '{}',
  add column video_ratios public.aspect_ratio[] not null default '{}';

comment on column public.platform_limits.preferred_image_ratio is
  'The ratio an image made for this platform gets by default; null when it takes no images.';
comment on column public.platform_limits.preferred_video_ratio is
  'The ratio a video made for this platform gets by default; null when it takes no videos.';
comment on column public.platform_limits.image_ratios is
  'Every ratio of Atelier''s set this platform accepts for images (canonical order); empty when it takes none.';
comment on column public.platform_limits.video_ratios is
  'Every ratio of Atelier''s set this platform accepts for videos (canonical order); empty when it takes none.';

-- Where the reference gives a range, the accepted set is what fits in it; where it names one
-- ratio as the rule (Shorts, Facebook Reels, TikTok), only that one; where it sets no limit,
-- all five.
update public.platform_limits l set
  preferred_image_ratio = v.pi::public.aspect_ratio,
  preferred_video_ratio = v.pv::public.aspect_ratio,
  image_ratios = v.ir::public.aspect_ratio[],
  video_ratios = v.vr::public.aspect_ratio[]
from (values
  -- Feed images 4:5 to 1.91:1, 9:16 also accepted; reels (every API video) 9:16.
  ('instagram', '4:5', '9:16', '{1:1,4:5,9:16,16:9}', '{9:16}'),
  -- Full-screen vertical posts, photos and videos alike.
  ('tiktok', '9:16', '9:16', '{9:16}', '{9:16}'),
  -- Images square or landscape; video 1:3 to 3:1.
  ('x', '16:9', '16:9', '{1:1,16:9}', '{1:1,4:5,9:16,16:9,2:3}'),
  -- Images square or landscape; video 1:2.4 to 2.4:1.
  ('linkedin', '1:1', '1:1', '{1:1,16:9}', '{1:1,4:5,9:16,16:9,2:3}'),
  -- Images: no ratio limit (max side 2048 px); videos go out as Reels, 9:16.
  ('facebook', '1:1', '9:16', '{1:1,4:5,9:16,16:9,2:3}', '{9:16}'),
  -- Shorts: video only, and anything but 9:16 is not a Short.
  ('youtube', null, '9:16', '{}', '{9:16}'),
  -- Images up to 10:1, videos with no ratio limit.
  ('threads', '1:1', '9:16', '{1:1,4:5,9:16,16:9,2:3}', '{1:1,4:5,9:16,16:9,2:3}'),
  -- 2:3 (1000×1500) recommended, no limit given.
  ('pinterest', '2:3', '2:3', '{1:1,4:5,9:16,16:9,2:3}', '{1:1,4:5,9:16,16:9,2:3}')
) as v(platform, pi, pv, ir, vr)
where l.platform = v.platform::public.platform;

-- A platform that takes a kind prefers one ratio it accepts; one that does not takes none.
alter table public.platform_limits
  add constraint platform_limits_image_ratios check (
    array_position(image_ratios, null) is null
    and case when supports_image
      then preferred_image_ratio is not null and preferred_image_ratio = any (image_ratios)
      else preferred_image_ratio is null and cardinality(image_ratios) = 0
    end),
  add constraint platform_limits_video_ratios check (
    array_position(video_ratios, null) is null
    and case when supports_video
      then preferred_video_ratio is not null and preferred_video_ratio = any (video_ratios)
      else preferred_video_ratio is null and cardinality(video_ratios) = 0
    end);
