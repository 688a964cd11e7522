-- Disconnecting an account (the disconnect-account function calls this after revoking the token
-- at the platform and checking that the caller owns the account). The stored credentials go in
-- every case. An account that posts reference keeps its row (posts point at it with `on delete
-- restrict`) as `revoked`, and its posts that had not gone out yet are cancelled with the reason;
-- an account with no posts is deleted.

create function public.disconnect_account(p_account_id uuid)
returns text
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  -- Locked first: a post being created for this account (which takes a key-share lock on it)
  -- either commits before this or waits, so the choice below cannot go stale.
  perform 1 from public.connected_accounts c where c.id = p_account_id for update;
  if not found then
    raise exception 'Account % was not found', coalesce(p_account_id::text, 'null')
      using errcode = '22023', hint = 'It may already have been removed.';
  end if;

  delete from public.account_credentials where account_id = p_account_id;

  if exists (select 1 from public.posts p where p.account_id = p_account_id) then
    update public.connected_accounts set status = 'revoked' where id = p_account_id;
    update public.posts
    set status = 'cancelled', error = 'Account disconnected', next_attempt_at = null,
        lease_owner = null, lease_until = null
    where account_id = p_account_id and status in ('scheduled', 'publishing');
    return 'revoked';
  end if;

  delete from public.connected_accounts where id = p_account_id;
  return 'deleted';
end;
$$;

comment on function public.disconnect_account(uuid) is
  'Deletes an account''s credentials; revokes it and cancels its pending posts when posts use it, else deletes it.';

revoke all on function public.disconnect_account(uuid) from public, anon, authenticated;
grant execute on function public.disconnect_account(uuid) to service_role;
