-- The orphan-media sweep (the sweep-media Edge Function) runs every hour, started from the
-- database the way the publish worker is (20261203001200_kick_publish_worker.sql): pg_cron calls
-- private.kick_media_sweep(), which POSTs {} through pg_net's net.http_post with the service-role
-- key. The function removes, through the Storage API, the media folders <user>/<generation>/
-- whose generation row no longer exists: a generation deleted while it was still being made, a
-- deleted user's, anything the app's own delete missed.
--
-- Where it is: next to the publish worker. private.worker_endpoint holds that function's URL
-- (…/functions/v1/publish-worker) and the key; the sweep's URL is the same with its own name, so
-- no second row (and no second copy of the key) is needed.

-- The URL of the Edge Function `p_name` of the project private.worker_endpoint points at, or null
-- without an endpoint row (or one that is not a …/functions/v1/<name> URL).
create function private.function_url(p_name text)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select pg_catalog.regexp_replace(e.url, '/functions/v1/[^/]+/?$', '/functions/v1/' || p_name)
  from private.worker_endpoint e
  where e.url ~ '/functions/v1/[^/]+/?$' and p_name ~ '^[a-z0-9][a-z0-9_-]*$'
$$;

comment on function private.function_url(text) is
  'The URL of the Edge Function p_name, next to the publish worker of private.worker_endpoint; null without one.';

-- Asks the sweep to run; never raises (a warning at most), so the cron job never fails noisily.
create function private.kick_media_sweep()
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
    raise warning 'net.http_post does not exist (install pg_net): the media sweep was not called';
    return;
  end if;
  select private.function_url('sweep-media'), e.token into v_url, v_token from private.worker_endpoint e;
  if v_url is null then
    raise warning 'private.worker_endpoint is empty or not a functions URL: the media sweep was not called';
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
    raise warning 'The media sweep could not be called: %', sqlerrm;
  end;
end;
$$;

comment on function private.kick_media_sweep() is
  'POSTs {} to the sweep-media function through net.http_post (hourly from pg_cron); never raises.';

revoke all on function private.function_url(text) from public;
revoke all on function private.kick_media_sweep() from public;
grant execute on function private.function_url(text) to service_role;
grant execute on function private.kick_media_sweep() to service_role;

-- Every hour, at minute 23 (off the hour, when other jobs crowd); re-applying changes nothing.
do $$
begin
  if not exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron') then
    raise warning 'pg_cron is not installed: media of deleted generations stays until something calls the sweep-media function.';
    return;
  end if;
  perform cron.schedule('sweep-media', '23 * * * *', 'select private.kick_media_sweep()');
end;
$$;
