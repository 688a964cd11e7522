-- A scheduled post can be edited until it goes out: its caption, hashtags, time and account.
-- Clients hold no update grant on posts beyond cancelling, so the edit is an RPC,
-- edit_scheduled_post, whose definer helper locks the row, refuses a post that is no longer
-- waiting ("It has already gone out" once the worker took it) and holds the new values to
-- exactly the checks publish_generation applies. Those checks move into private helpers both functions call, so
-- the two can never disagree; publish_generation keeps its signature, order of checks and
-- messages.

-- Every tag is `#` then letters, digits or `_`.
create function private.check_hashtags(p_hashtags text[])
returns void
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_bad_tag text;
begin
  if exists (select 1 from pg_catalog.unnest(p_hashtags) as t where t is null) then
    raise exception 'Hashtags cannot be empty' using errcode = '22023';
  end if;
  select t into v_bad_tag from pg_catalog.unnest(p_hashtags) as t
  where not private.hashtags_are_valid(array[t]) limit 1;
  if v_bad_tag is not null then
    raise exception 'Hashtag "%" is not valid', v_bad_tag
      using errcode = '22023', hint = 'A hashtag is # followed by letters, digits or underscores.';
  end if;
end;
$$;

comment on function private.check_hashtags(text[]) is
  'Refuses a null or malformed hashtag (publish_generation, edit_scheduled_post).';

-- Every time at least a minute ahead and within private.schedule_horizon().
create function private.check_schedule_times(p_times timestamptz[])
returns void
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  if exists (select 1 from pg_catalog.unnest(p_times) as t where t < pg_catalog.now() + interval '1 minute') then
    raise exception 'Schedule at least one minute ahead'
      using errcode = '22023', hint = 'Pick a later time, or publish now.';
  end if;
  -- `infinity` or year 294276 would be a post that never goes out.
  if exists (select 1 from pg_catalog.unnest(p_times) as t
             where t > pg_catalog.now() + private.schedule_horizon()) then
    raise exception 'Schedule within a year'
      using errcode = '22023', hint = 'Pick a time in the next 365 days.';
  end if;
end;
$$;

comment on function private.check_schedule_times(timestamptz[]) is
  'Refuses a scheduled time less than a minute or more than the schedule horizon ahead.';

-- The text and the media fit every account: each is the caller's, connected, on a supported
-- platform that takes this kind of media, and the composed text is within the platform's length
-- (characters or bytes, links counted as the platform counts them) and hashtag cap. The caller
-- is named explicitly (not left to RLS), so a definer caller gets the same answer.
create function private.check_post_fits(
  p_kind public.media_kind,
  p_account_ids uuid[],
  p_caption text,
  p_hashtags text[]
)
returns void
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_account record;
  v_text text := public.compose_post_text(p_caption, p_hashtags);
  v_tag_count integer;
begin
  -- Tags written in the caption count too (distinct, case-insensitive).
  select count(distinct pg_catalog.lower(m[1])) into v_tag_count
  from (select pg_catalog.regexp_matches(v_text, '(#[[:alnum:]_]+)', 'g') as m) tags;

  for v_account in
    select a.id as wanted, c.id, c.platform, c.handle, c.status,
           coalesce(c.caption_max, l.caption_max) as caption_max, l.caption_counts_bytes,
           l.caption_max_bytes, l.url_length, l.hashtag_max, l.supported,
           l.supports_image, l.supports_video
    from pg_catalog.unnest(p_account_ids) with ordinality as a(id, n)
    left join public.connected_accounts c on c.id = a.id and c.user_id = auth.uid()
    left join public.platform_limits l on l.platform = c.platform
    order by a.n
  loop
    if v_account.id is null then
      raise exception 'Account % was not found among yours', v_account.wanted
        using errcode = '42501', hint = 'Publish only to accounts you have connected.';
    end if;
    if v_account.status not in ('active', 'mock') then
      raise exception 'The % account @% is %', v_account.platform, v_account.handle, v_account.status
        using errcode = '22023', hint = 'Reconnect it on the Accounts page, or leave it out.';
    end if;
    if v_account.supported is not true then
      raise exception 'Publishing to % is not supported yet', v_account.platform using errcode = '22023';
    end if;
    if (p_kind = 'image' and not v_account.supports_image)
       or (p_kind = 'video' and not v_account.supports_video) then
      raise exception '% does not take % posts', v_account.platform, p_kind
        using errcode = '22023', hint = 'Leave this account out for this generation.';
    end if;
    if private.post_text_length(v_text, v_account.caption_counts_bytes, v_account.url_length)
       > v_account.caption_max then
      raise exception 'The text is too long for % (% max)', v_account.platform, v_account.caption_max
        using errcode = '22023', hint = 'Shorten the caption or drop hashtags for this platform.';
    end if;
    if not private.post_text_fits(v_text, v_account.caption_max, v_account.caption_counts_bytes,
                                  v_account.caption_max_bytes, v_account.url_length) then
      raise exception 'The text is too long for % (% bytes max)', v_account.platform, v_account.caption_max_bytes
        using errcode = '22023', hint = 'Shorten the caption or drop hashtags for this platform.';
    end if;
    if v_tag_count > v_account.hashtag_max then
      raise exception '% allows at most % hashtag(s); this post has %',
        v_account.platform, v_account.hashtag_max, v_tag_count
        using errcode = '22023', hint = 'Remove hashtags, or leave this account out.';
    end if;
  end loop;
end;
$$;

comment on function private.check_post_fits(public.media_kind, uuid[], text, text[]) is
  'Refuses accounts that are not the caller''s, not connected, or whose platform does not take this media or text.';

revoke all on function private.check_hashtags(text[]) from public;
revoke all on function private.check_schedule_times(timestamptz[]) from public;
revoke all on function private.check_post_fits(public.media_kind, uuid[], text, text[]) from public;
grant execute on function private.check_hashtags(text[]) to authenticated;
grant execute on function private.check_schedule_times(timestamptz[]) to authenticated;
grant execute on function private.check_post_fits(public.media_kind, uuid[], text, text[]) to authenticated;

-- The same function as 20261204000400 made it, its checks now in the helpers above.
create or replace function public.publish_generation(
  p_generation_id uuid,
  p_account_ids uuid[],
  p_caption text,
  p_hashtags text[],
  p_scheduled_at timestamptz default null,
  p_request_key uuid default null,
  p_scheduled_at_by_account jsonb default null
)
returns setof public.posts
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_user uuid := auth.uid();
  v_generation record;
  v_accounts uuid[];
  v_times timestamptz[];
  v_caption text := coalesce(p_caption, '');
  v_hashtags text[] := coalesce(p_hashtags, '{}');
begin
  if v_user is null then
    raise exception 'Sign in to publish' using errcode = '42501';
  end if;

  -- Idempotency: the same key returns the first call's posts instead of posting twice.
  if p_request_key is not null then
    perform pg_catalog.pg_advisory_xact_lock(
      pg_catalog.hashtextextended(v_user::text || p_request_key::text, 0));
    if exists (select 1 from public.posts p where p.user_id = v_user and p.request_key = p_request_key) then
      return query select p.* from public.posts p
        where p.user_id = v_user and p.request_key = p_request_key
        order by p.created_at, p.id;
      return;
    end if;
  end if;

  -- Read as the caller: RLS hides anyone else's generation.
  select g.id, g.status, g.kind into v_generation
  from public.generations g where g.id = p_generation_id;
  if not found then
    raise exception 'Generation % was not found among yours', p_generation_id
      using errcode = '42501', hint = 'Publish one of your own completed generations.';
  end if;
  if v_generation.status <> 'completed' then
    raise exception 'This generation is %; only a completed one can be published', v_generation.status
      using errcode = '22023', hint = 'Wait for it to complete, or retry it if it failed.';
  end if;

  select array_agg(distinct a) into v_accounts from pg_catalog.unnest(p_account_ids) as a where a is not null;
  if v_accounts is null then
    raise exception 'Choose at least one account to publish to' using errcode = '22023';
  end if;

  perform private.check_hashtags(v_hashtags);

  if p_scheduled_at_by_account is not null and pg_catalog.jsonb_typeof(p_scheduled_at_by_account) <> 'null' then
    if p_scheduled_at is not null then
      raise exception 'Give one scheduled time, or one per account, not both'
        using errcode = '22023', hint = 'Leave p_scheduled_at out when sending p_scheduled_at_by_account.';
    end if;
    v_times := private.scheduled_times_by_account(v_accounts, p_scheduled_at_by_account);
  else
    v_times := pg_catalog.array_fill(p_scheduled_at, array[pg_catalog.cardinality(v_accounts)]);
  end if;
  perform private.check_schedule_times(v_times);

  perform private.check_post_fits(v_generation.kind, v_accounts, v_caption, v_hashtags);

  return query
    select * from private.insert_posts(p_generation_id, v_accounts, v_caption, v_hashtags,
                                       v_times, p_request_key);
end;
$$;

-- Edits one of the caller's scheduled posts. The row is locked first, so the edit and the worker's
-- claim (which skips locked rows, and re-checks the status of a row it waited for) never both
-- win: an edit that comes second finds the post `publishing` and is refused, and a claim that
-- comes second finds the new time. Definer because clients hold no update grant on these
-- columns; it acts only on a post of auth.uid().
create function private.edit_scheduled_post(
  p_post_id uuid,
  p_caption text,
  p_hashtags text[],
  p_scheduled_at timestamptz,
  p_account_id uuid
)
returns public.posts
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_user uuid := auth.uid();
  v_post public.posts;
  v_kind public.media_kind;
  v_account uuid;
  v_caption text := coalesce(p_caption, '');
  v_hashtags text[] := coalesce(p_hashtags, '{}');
  v_platform text;
begin
  -- Someone else's post and no post at all get the same answer.
  select p.* into v_post from public.posts p
  where v_user is not null and p.id = p_post_id and p.user_id = v_user
  for update;
  if not found then
    raise exception 'This post was not found among yours'
      using errcode = '42501', hint = 'Reload the Posts page.';
  end if;
  if v_post.status = 'cancelled' then
    raise exception 'This post was cancelled, so it cannot be edited'
      using errcode = '22023', hint = 'Post the output again from the Generate page.';
  end if;
  if v_post.status <> 'scheduled' then
    raise exception 'It has already gone out' using errcode = '22023';
  end if;

  if p_scheduled_at is null then
    raise exception 'Pick a date and time to schedule for' using errcode = '22023';
  end if;
  v_account := coalesce(p_account_id, v_post.account_id);
  select g.kind into v_kind from public.generations g where g.id = v_post.generation_id;

  perform private.check_hashtags(v_hashtags);
  perform private.check_schedule_times(array[p_scheduled_at]);
  perform private.check_post_fits(v_kind, array[v_account], v_caption, v_hashtags);
  -- publish_generation writes such a post as failed at once; an edit is refused instead.
  select l.display_name into v_platform
  from public.connected_accounts c join public.platform_limits l on l.platform = c.platform
  where c.id = v_account and c.status = 'active' and not l.has_connector;
  if found then
    raise exception 'Atelier cannot publish to % yet', v_platform
      using errcode = '22023', hint = 'Choose another account.';
  end if;

  update public.posts p
  set caption = v_caption, hashtags = v_hashtags, scheduled_at = p_scheduled_at, account_id = v_account
  where p.id = v_post.id
  returning p.* into v_post;
  return v_post;
end;
$$;

comment on function private.edit_scheduled_post(uuid, text, text[], timestamptz, uuid) is
  'Locks and edits one of the caller''s scheduled posts, held to publish_generation''s checks (definer: clients cannot write posts).';

create function public.edit_scheduled_post(
  p_post_id uuid,
  p_caption text,
  p_hashtags text[],
  p_scheduled_at timestamptz,
  p_account_id uuid default null
)
returns public.posts
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  if auth.uid() is null then
    raise exception 'Sign in to edit a post' using errcode = '42501';
  end if;
  return private.edit_scheduled_post(p_post_id, p_caption, p_hashtags, p_scheduled_at, p_account_id);
end;
$$;

comment on function public.edit_scheduled_post(uuid, text, text[], timestamptz, uuid) is
  'Changes the caption, hashtags, time and (when given) account of one of the caller''s scheduled posts, until it goes out.';

revoke all on function private.edit_scheduled_post(uuid, text, text[], timestamptz, uuid) from public;
revoke all on function public.edit_scheduled_post(uuid, text, text[], timestamptz, uuid) from public, anon;
grant execute on function private.edit_scheduled_post(uuid, text, text[], timestamptz, uuid) to authenticated;
grant execute on function public.edit_scheduled_post(uuid, text, text[], timestamptz, uuid) to authenticated;
