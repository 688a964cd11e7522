-- Publishing: one RPC that creates every post of a request in one transaction, all or
-- nothing, idempotent on a client request key; and cancelling a scheduled post.
--
-- What a platform receives is the caption, then a blank line and the hashtags separated by
-- spaces; that whole text must fit the platform's caption limit, and the hashtags (those in
-- p_hashtags plus any written in the caption) its hashtag limit.

-- The text a platform receives for a caption and hashtags.
create function public.compose_post_text(p_caption text, p_hashtags text[])
returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when coalesce(array_length(p_hashtags, 1), 0) = 0 then coalesce(p_caption, '')
    when coalesce(p_caption, '') = '' then array_to_string(p_hashtags, ' ')
    else p_caption || E'\n\n' || array_to_string(p_hashtags, ' ')
  end
$$;

comment on function public.compose_post_text(text, text[]) is
  'Caption, blank line, hashtags: the text publish_generation measures against platform limits.';

-- Inserts the posts of a request that publish_generation has validated. Definer, because
-- clients hold no insert privilege on posts (so they cannot write a `published` row); it still
-- re-checks that the generation and every account belong to the caller.
create function private.insert_posts(
  p_generation_id uuid,
  p_account_ids uuid[],
  p_caption text,
  p_hashtags text[],
  p_scheduled_at timestamptz,
  p_request_key uuid
)
returns setof public.posts
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid := auth.uid();
begin
  if v_user is null
     or not exists (select 1 from public.generations g
                    where g.id = p_generation_id and g.user_id = v_user)
     or exists (select 1 from pg_catalog.unnest(p_account_ids) as a(id)
                where not exists (select 1 from public.connected_accounts c
                                  where c.id = a.id and c.user_id = v_user)) then
    raise exception 'Not allowed to publish this generation to these accounts'
      using errcode = '42501';
  end if;

  return query
  insert into public.posts
    (user_id, generation_id, account_id, caption, hashtags, status, scheduled_at, published_at, request_key)
  select v_user, p_generation_id, c.id, p_caption, p_hashtags,
         case
           when p_scheduled_at is not null then 'scheduled'::public.post_status
           when c.status = 'mock' then 'published'::public.post_status
           else 'publishing'::public.post_status
         end,
         p_scheduled_at,
         case when p_scheduled_at is null and c.status = 'mock' then pg_catalog.now() end,
         p_request_key
  from pg_catalog.unnest(p_account_ids) with ordinality as a(id, n)
  join public.connected_accounts c on c.id = a.id
  order by a.n
  returning *;
end;
$$;

revoke all on function private.insert_posts(uuid, uuid[], text, text[], timestamptz, uuid) from public;
grant usage on schema private to authenticated;
grant execute on function private.insert_posts(uuid, uuid[], text, text[], timestamptz, uuid) to authenticated;
grant execute on function private.hashtags_are_valid(text[]) to authenticated, service_role;

create function public.publish_generation(
  p_generation_id uuid,
  p_account_ids uuid[],
  p_caption text,
  p_hashtags text[],
  p_scheduled_at timestamptz default null,
  p_request_key uuid default null
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
  v_account record;
  v_accounts uuid[];
  v_caption text := coalesce(p_caption, '');
  v_hashtags text[] := coalesce(p_hashtags, '{}');
  v_text text;
  v_tag_count integer;
  v_bad_tag text;
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

  if exists (select 1 from pg_catalog.unnest(v_hashtags) as t where t is null) then
    raise exception 'Hashtags cannot be empty' using errcode = '22023';
  end if;
  select t into v_bad_tag from pg_catalog.unnest(v_hashtags) as t
  where not private.hashtags_are_valid(array[t]) limit 1;
  if v_bad_tag is not null then
    raise exception 'Hashtag "%" is not valid', v_bad_tag
      using errcode = '22023', hint = 'A hashtag is # followed by letters, digits or underscores.';
  end if;

  if p_scheduled_at is not null and p_scheduled_at < pg_catalog.now() + interval '1 minute' then
    raise exception 'Schedule at least one minute ahead'
      using errcode = '22023', hint = 'Pick a later time, or publish now.';
  end if;

  v_text := public.compose_post_text(v_caption, v_hashtags);
  -- Tags written in the caption count too (distinct, case-insensitive).
  select count(distinct pg_catalog.lower(m[1])) into v_tag_count
  from (select pg_catalog.regexp_matches(v_text, '(#[[:alnum:]_]+)', 'g') as m) tags;

  for v_account in
    select a.id as wanted, c.id, c.platform, c.handle, c.status,
           l.caption_max, l.caption_counts_bytes, l.hashtag_max, l.supported,
           l.supports_image, l.supports_video
    from pg_catalog.unnest(v_accounts) as a(id)
    left join public.connected_accounts c on c.id = a.id
    left join public.platform_limits l on l.platform = c.platform
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
    if (v_generation.kind = 'image' and not v_account.supports_image)
       or (v_generation.kind = 'video' and not v_account.supports_video) then
      raise exception '% does not take % posts', v_account.platform, v_generation.kind
        using errcode = '22023', hint = 'Leave this account out for this generation.';
    end if;
    if (case when v_account.caption_counts_bytes then pg_catalog.octet_length(v_text)
             else pg_catalog.char_length(v_text) end) > v_account.caption_max then
      raise exception 'The text is too long for % (% max)', v_account.platform, v_account.caption_max
        using errcode = '22023', hint = 'Shorten the caption or drop hashtags for this platform.';
    end if;
    if v_tag_count > v_account.hashtag_max then
      raise exception '% allows at most % hashtag(s); this post has %',
        v_account.platform, v_account.hashtag_max, v_tag_count
        using errcode = '22023', hint = 'Remove hashtags, or leave this account out.';
    end if;
  end loop;

  return query
    select * from private.insert_posts(p_generation_id, v_accounts, v_caption, v_hashtags,
                                       p_scheduled_at, p_request_key);
end;
$$;

comment on function public.publish_generation(uuid, uuid[], text, text[], timestamptz, uuid) is
  'Publishes (or schedules) a completed generation to accounts: all or nothing, idempotent on p_request_key.';

create function public.cancel_post(p_post_id uuid)
returns public.posts
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_post public.posts;
begin
  update public.posts set status = 'cancelled'
  where id = p_post_id and status = 'scheduled'
  returning * into v_post;
  if not found then
    raise exception 'Only a scheduled post of yours can be cancelled'
      using errcode = '22023', hint = 'It may already be published or cancelled.';
  end if;
  return v_post;
end;
$$;

comment on function public.cancel_post(uuid) is 'Cancels one of the caller''s scheduled posts.';

revoke all on function public.compose_post_text(text, text[]) from public;
revoke all on function public.publish_generation(uuid, uuid[], text, text[], timestamptz, uuid) from public;
revoke all on function public.cancel_post(uuid) from public;
grant execute on function public.compose_post_text(text, text[]) to authenticated, service_role;
grant execute on function public.publish_generation(uuid, uuid[], text, text[], timestamptz, uuid)
  to authenticated;
grant execute on function public.cancel_post(uuid) to authenticated;
