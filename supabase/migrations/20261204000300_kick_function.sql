-- One way to wake an Edge Function from the database. The publish worker and the media sweep were
-- each called by a copy of the same body (find net.http_post, read the endpoint row, POST {} with
-- the service-role key, turn every failure into a warning); both now call private.kick_function.
-- The function's URL is the one private.function_url derives from private.worker_endpoint.

create function private.kick_function(p_name text)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_url text;
  v_token text;
begin
  if pg_catalog.to_regprocedure('net.http_post(text, jsonb, jsonb, jsonb, integer)') is null then
    raise warning 'net.http_post does not exist (install pg_net): the % function was not called', p_name;
    return;
  end if;
  select private.function_url(p_name), e.token into v_url, v_token from private.worker_endpoint e;
  if v_url is null then
    raise warning 'private.worker_endpoint is empty or not a functions URL: the % function was not called', p_name;
    return;
  end if;
  begin
    perform net.http_post(
      url := v_url,
      body := '{}'::jsonb,
      headers := pg_catalog.jsonb_build_object(
        'Content-Type', 'application/json', 'Authorization', 'Bearer ' || v_token),
      timeout_milliseconds := 5000);
  exception when others then
    raise warning 'The % function could not be called: %', p_name, sqlerrm;
  end;
end;
$$;

comment on function private.kick_function(text) is
  'POSTs {} to the Edge Function p_name (next to private.worker_endpoint) through net.http_post; never raises.';

-- Same signatures, so the triggers and the pg_cron jobs that call them stay as they are.
create or replace function private.kick_publish_worker()
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  if private.posts_await_worker() then
    perform private.kick_function('publish-worker');
  end if;
end;
$$;

create or replace function private.kick_media_sweep()
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  perform private.kick_function('sweep-media');
end;
$$;

revoke all on function private.kick_function(text) from public;
grant execute on function private.kick_function(text) to service_role;
