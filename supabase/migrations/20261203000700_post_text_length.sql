-- One rule for how long a post's text is, used by publish_generation and publish_due_posts and
-- mirrored by the app (src/domain/caption.rs) and the caption generator:
--   * characters are Unicode code points (char_length), or UTF-8 bytes where the platform counts
--     bytes (Threads). Code points are never fewer than the graphemes Bluesky and Mastodon count,
--     so a text that fits here fits there;
--   * where the platform weighs URLs (Mastodon), every `https?://` run up to the next Unicode
--     White_Space character counts url_length, however long it is written;
--   * where the platform caps bytes too (Bluesky, 3,000), the text as written must stay under it.
-- The limit for an account is its own caption_max when it has one, else the platform's.

create function private.post_text_length(p_text text, p_counts_bytes boolean, p_url_length integer)
returns integer
language sql
immutable
security invoker
set search_path = ''
as $$
  select case when p_counts_bytes then pg_catalog.octet_length(t.rest) else pg_catalog.char_length(t.rest) end
         + coalesce(p_url_length, 0) * t.urls
  from (values (
    -- http(s):// up to the next Unicode White_Space character (spelled out, so the database's
    -- locale does not change where a URL ends).
    'https?://[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+'
  )) as u(pattern)
  cross join lateral (
    select
      case when p_url_length is null then coalesce(p_text, '')
           else pg_catalog.regexp_replace(coalesce(p_text, ''), u.pattern, '', 'g') end as rest,
      case when p_url_length is null then 0
           else (select count(*)::integer from pg_catalog.regexp_matches(coalesce(p_text, ''), u.pattern, 'g')) end as urls
  ) t
$$;

comment on function private.post_text_length(text, boolean, integer) is
  'Length of a post text as a platform counts it: code points (or bytes), each URL as p_url_length when given.';

create function private.post_text_fits(
  p_text text,
  p_caption_max integer,
  p_counts_bytes boolean,
  p_caption_max_bytes integer,
  p_url_length integer
)
returns boolean
language sql
immutable
security invoker
set search_path = ''
as $$
  select private.post_text_length(p_text, p_counts_bytes, p_url_length) <= p_caption_max
     and (p_caption_max_bytes is null or pg_catalog.octet_length(coalesce(p_text, '')) <= p_caption_max_bytes)
$$;

comment on function private.post_text_fits(text, integer, boolean, integer, integer) is
  'Whether a post text fits a limit: post_text_length <= p_caption_max and its UTF-8 bytes <= p_caption_max_bytes.';

revoke all on function private.post_text_length(text, boolean, integer) from public;
revoke all on function private.post_text_fits(text, integer, boolean, integer, integer) from public;
grant usage on schema private to service_role;
grant execute on function private.post_text_length(text, boolean, integer) to authenticated, service_role;
grant execute on function private.post_text_fits(text, integer, boolean, integer, integer) to authenticated, service_role;
