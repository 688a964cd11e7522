-- Starring a generation: a persisted flag the owner may flip on a row of any status. The
-- generations update policy admits only queued rows (and its column grants only prompt and
-- params), so starring goes through one narrow RPC that changes `starred` and nothing else.

alter table public.generations add column starred boolean not null default false;

comment on column public.generations.starred is
  'Marked by its owner as a favourite (set_generation_starred); any status, nothing else changes.';

-- Definer, because no client holds an update privilege on `starred` (and completed rows are
-- outside the update policy); it re-checks ownership by auth.uid() itself.
create function private.set_generation_starred(p_generation_id uuid, p_starred boolean)
returns public.generations
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.generations;
begin
  update public.generations g set starred = p_starred
  where g.id = p_generation_id and g.user_id = auth.uid()
  returning g.* into v_row;
  -- Unknown and someone else's look the same, as publish_generation answers them.
  if not found then
    raise exception 'Generation % was not found among yours', p_generation_id
      using errcode = '42501', hint = 'Star one of your own generations.';
  end if;
  return v_row;
end;
$$;

comment on function private.set_generation_starred(uuid, boolean) is
  'Sets starred on one of the caller''s generations; 42501 when it is not theirs (or unknown).';

revoke all on function private.set_generation_starred(uuid, boolean) from public, anon;
grant execute on function private.set_generation_starred(uuid, boolean) to authenticated;

create function public.set_generation_starred(p_generation_id uuid, p_starred boolean)
returns public.generations
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
  if auth.uid() is null then
    raise exception 'Sign in to star generations' using errcode = '42501';
  end if;
  if p_starred is null then
    raise exception 'p_starred must be true or false' using errcode = '22004';
  end if;
  return private.set_generation_starred(p_generation_id, p_starred);
end;
$$;

comment on function public.set_generation_starred(uuid, boolean) is
  'Stars or unstars one of the caller''s generations (any status) and returns the updated row.';

revoke all on function public.set_generation_starred(uuid, boolean) from public, anon;
grant execute on function public.set_generation_starred(uuid, boolean) to authenticated;
