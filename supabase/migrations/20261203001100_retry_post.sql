-- A creator may send a failed post again once its account can take it (connected again after
-- expiring, or after a platform error): the post goes back to `publishing` with a fresh attempt
-- count, and keeps its delivery key so that a platform that did receive it earlier does not get it
-- twice. Clients hold no update grant beyond cancelling, so the change goes through a definer
-- helper that checks the caller owns the post.

create function private.requeue_failed_post(p_post_id uuid)
returns public.posts
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_post public.posts;
begin
  update public.posts p
  set status = 'publishing', error = null, attempts = 0, next_attempt_at = null,
      lease_owner = null, lease_until = null
  from public.connected_accounts c
  join public.platform_limits l on l.platform = c.platform
  where p.id = p_post_id and p.user_id = auth.uid() and p.status = 'failed'
    and c.id = p.account_id and c.status = 'active' and l.has_connector
  returning p.* into v_post;
  if not found then
    raise exception 'Only a failed post whose account is connected can be retried'
      using errcode = '22023', hint = 'Reconnect the account on the Accounts page first.';
  end if;
  return v_post;
end;
$$;

comment on function private.requeue_failed_post(uuid) is
  'Puts the caller''s failed post on a connected account back to publishing (definer: clients cannot write posts).';

create function public.retry_post(p_post_id uuid)
returns public.posts
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  if auth.uid() is null then
    raise exception 'Sign in to retry a post' using errcode = '42501';
  end if;
  return private.requeue_failed_post(p_post_id);
end;
$$;

comment on function public.retry_post(uuid) is
  'Sends one of the caller''s failed posts again, when its account is connected (active, with a connector).';

revoke all on function private.requeue_failed_post(uuid) from public;
revoke all on function public.retry_post(uuid) from public, anon;
grant execute on function private.requeue_failed_post(uuid) to authenticated;
grant execute on function public.retry_post(uuid) to authenticated;
