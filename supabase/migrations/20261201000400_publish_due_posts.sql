-- Scheduled posts go out without a browser: publish_due_posts claims every post whose time has
-- come, in one statement that skips rows another caller holds (so two sweeps never take the same
-- post), and settles each one:
--   mock account                    → published, published_at = now()
--   active account                  → publishing (a platform connector takes it from there)
--   anything it cannot publish      → failed, with what the creator can do about it
-- pg_cron calls it every minute (20261201000600); a server-side worker may call it too.

create function public.publish_due_posts(p_limit integer default 1000)
returns setof public.posts
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  if p_limit is null or p_limit < 1 then
    raise exception 'p_limit must be a positive number of posts, not %', coalesce(p_limit::text, 'null')
      using errcode = '22023';
  end if;

  return query
  with due as materialized (
    -- The claim: rows another transaction is settling are skipped, not waited for, and a row
    -- settled since this statement's snapshot is re-checked (it is no longer `scheduled`).
    select p.id
    from public.posts p
    where p.status = 'scheduled' and p.scheduled_at <= pg_catalog.now()
    order by p.scheduled_at, p.id
    limit p_limit
    for update of p skip locked
  ),
  facts as (
    select p.id, c.platform, c.handle, c.status as account_status,
           g.status as generation_status, g.kind, g.media_url,
           l.caption_max, l.caption_counts_bytes, l.hashtag_max, l.supported,
           l.supports_image, l.supports_video,
           public.compose_post_text(p.caption, p.hashtags) as body
    from due d
    join public.posts p on p.id = d.id
    join public.connected_accounts c on c.id = p.account_id
    join public.generations g on g.id = p.generation_id
    left join public.platform_limits l on l.platform = c.platform
  ),
  verdicts as (
    select f.id, f.account_status,
      case
        when f.account_status not in ('active', 'mock') then pg_catalog.format(
          'The %s account @%s is %s: reconnect it on the Accounts page and schedule again',
          f.platform, f.handle, f.account_status)
        when f.supported is not true then pg_catalog.format(
          'Publishing to %s is not supported yet: choose another account and schedule again', f.platform)
        when f.generation_status <> 'completed' or f.media_url is null then
          'The media of this post is no longer available: publish another generation'
        when (f.kind = 'image' and not f.supports_image) or (f.kind = 'video' and not f.supports_video) then
          pg_catalog.format('%s no longer takes %s posts: choose another account and schedule again',
                            f.platform, f.kind)
        when (case when f.caption_counts_bytes then pg_catalog.octet_length(f.body)
                   else pg_catalog.char_length(f.body) end) > f.caption_max then
          pg_catalog.format('The text is now too long for %s (%s max): shorten it and schedule again',
                            f.platform, f.caption_max)
        when t.tag_count > f.hashtag_max then
          pg_catalog.format('%s now allows at most %s hashtag(s); this post has %s: remove some and schedule again',
                            f.platform, f.hashtag_max, t.tag_count)
      end as reason
    from facts f
    -- Tags written in the caption count too (distinct, case-insensitive), as publish_generation counts them.
    cross join lateral (
      select count(distinct pg_catalog.lower(m[1])) as tag_count
      from pg_catalog.regexp_matches(f.body, '(#[[:alnum:]_]+)', 'g') as m
    ) t
  )
  update public.posts p
  set status = case
        when v.reason is not null then 'failed'::public.post_status
        when v.account_status = 'mock' then 'published'::public.post_status
        else 'publishing'::public.post_status
      end,
      published_at = case when v.reason is null and v.account_status = 'mock' then pg_catalog.now() end,
      error = v.reason
  from verdicts v
  where p.id = v.id
  returning p.*;
end;
$$;

comment on function public.publish_due_posts(integer) is
  'Claims up to p_limit due scheduled posts (skip locked, each exactly once) and publishes, queues or fails each with a reason.';

revoke all on function public.publish_due_posts(integer) from public, anon, authenticated;
grant execute on function public.publish_due_posts(integer) to service_role;
