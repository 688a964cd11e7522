-- No spinner forever: a generation still queued or processing after a deadline becomes
-- `failed` with a message the creator can act on. The server side calls this (the
-- generate-media function, or pg_cron every minute where the extension is available).

create function public.fail_stale_generations(p_max_age interval default interval '10 minutes')
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  v_count integer;
begin
  update public.generations
  set status = 'failed',
      error = 'Timed out — retry'
  where status in ('queued', 'processing')
    -- updated_at, not created_at: a retried row starts its deadline again.
    and updated_at < pg_catalog.now() - p_max_age;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

comment on function public.fail_stale_generations(interval) is
  'Marks queued/processing generations untouched for p_max_age as failed ("Timed out — retry").';

revoke all on function public.fail_stale_generations(interval) from public, anon, authenticated;
grant execute on function public.fail_stale_generations(interval) to service_role;

-- Hosted projects have pg_cron; schedule the sweep there. Locally it is absent and the
-- server side calls the function itself.
do $$
begin
  if exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_cron') then
    begin
      create extension if not exists pg_cron;
      perform cron.schedule('fail-stale-generations', '* * * * *',
                            'select public.fail_stale_generations()');
    exception when others then
      raise notice 'pg_cron not usable here (%); the server side sweeps stale generations', sqlerrm;
    end;
  end if;
end;
$$;
