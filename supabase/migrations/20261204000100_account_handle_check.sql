-- A handle must look like one on its platform: no spaces, the platform's characters and length.
-- The same rule runs in the browser as the creator types (src/domain/handles.rs, which cites each
-- platform's published rules); supabase/tests/account_handles.test.sql holds the shared cases.
-- Handles are stored without their leading '@'. Bluesky handles are domain names
-- (https://atproto.com/specs/handle); Mastodon ones are user@instance, the instance possibly with
-- a port, as connect-mastodon stores them.
--
-- The check is added NOT VALID: rows written before it stay as they are; every new or changed
-- row is checked (https://www.postgresql.org/docs/current/sql-altertable.html).

create function public.account_handle_is_valid(p_platform public.platform, p_handle text)
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case p_platform::text
    when 'instagram' then p_handle ~ '^[A-Za-z0-9._]{1,30}$'
    when 'threads' then p_handle ~ '^[A-Za-z0-9._]{1,30}$'
    when 'x' then p_handle ~ '^[A-Za-z0-9_]{1,15}$'
    when 'tiktok' then p_handle ~ '^[A-Za-z0-9._]{1,24}$'
    when 'linkedin' then p_handle ~ '^[A-Za-z0-9._-]{1,100}$'
    when 'facebook' then p_handle ~ '^[A-Za-z0-9._-]{1,50}$'
    when 'youtube' then p_handle ~ '^[A-Za-z0-9._-]{1,30}$'
    when 'pinterest' then p_handle ~ '^[A-Za-z0-9._-]{1,30}$'
    -- Labels of 1-63 letters, digits or inner hyphens; two or more; the last starts with a letter.
    when 'bluesky' then char_length(p_handle) <= 100
      and p_handle ~ '^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$'
    -- user@host[:port]: the host one or more labels (localhost and IP addresses included).
    when 'mastodon' then char_length(p_handle) <= 100
      and p_handle ~ '^[A-Za-z0-9_.-]{1,30}@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(:[0-9]{1,5})?$'
    -- A platform added later without its own rule: at least no whitespace.
    else p_handle !~ '[[:space:]]'
  end
$$;

comment on function public.account_handle_is_valid(public.platform, text) is
  'Whether a handle (stored without its leading @) fits its platform; the connected_accounts_handle_format check.';

alter table public.connected_accounts
  add constraint connected_accounts_handle_format
  check (public.account_handle_is_valid(platform, handle)) not valid;

-- Only the roles that write accounts need it (a check runs with the writer's privileges).
revoke all on function public.account_handle_is_valid(public.platform, text) from public, anon;
grant execute on function public.account_handle_is_valid(public.platform, text) to authenticated, service_role;
