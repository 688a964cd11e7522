-- Waking the delivery worker (the publish-worker Edge Function) from the database, as Supabase's
-- scheduled-functions guide does it (https://supabase.com/docs/guides/functions/schedule-functions):
-- pg_net's net.http_post queues a POST that is sent once the transaction commits.
--   * Publish now: a statement that leaves a post newly waiting for a worker (inserted
--     `publishing`, or set back to `publishing` by a retry) calls the worker at once.
--   * Every minute, pg_cron calls it too: due scheduled posts, retries whose time has come, and
--     posts whose worker vanished (a lease that ran out) go out within a minute.
-- The function's URL and the key it checks live in private.worker_endpoint: the local stack writes
-- it at every start; a hosted project fills it once (docs/deploy.md). Without that row, or without
-- net.http_post, nothing is sent and publishing waits; the post itself is never refused for it.

-- pg_net, guarded the way the pg_cron migrations guard pg_cron: hosted Supabase has the
-- extension; a machine without it may provide the same net.http_post (the local stack does).
do $$
begin
  if exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_net') then
    create extension if not exists pg_net;
  elsif pg_catalog.to_regprocedure('net.http_post(text, jsonb, jsonb, jsonb, integer)') is null then
    raise warning 'pg_net is not installed: posts to Bluesky and Mastodon wait until something calls the publish-worker function.';
  end if;
end;
$$;

create table private.worker_endpoint (
  id boolean primary key default true check (id),
  url text not null check (url ~ '^https?://[^[:space:]]+$'),
  -- The bearer the worker checks (the service-role key): never readable by clients.
  token text not null check (char_length(token) > 0)
);

comment on table private.worker_endpoint is
  'Where the publish-worker function is and the key it expects (one row); service_role only.';

alter table private.worker_endpoint enable row level security;
revoke all on table private.worker_endpoint from public, anon, authenticated;
grant all on table private.worker_endpoint to service_role;

-- Whether any post awaits a worker now: the cron job asks before calling, so an idle project does
-- not invoke the function every minute.
create function private.posts_await_worker()
returns boolean
language sql
stable
security invoker
set search_path = ''
as $$
  select exists (
    select 1
    from public.posts p
    join public.connected_accounts c on c.id = p.account_id
    join public.platform_limits l on l.platform = c.platform
    where p.status in ('publishing', 'scheduled')
      and c.status = 'active' and l.has_connector
      and private.awaits_worker(p.status, p.scheduled_at, p.lease_until, p.next_attempt_at)
  )
$$;

comment on function private.posts_await_worker() is
  'True when a post of an active connector account awaits a worker (publishing and free, or scheduled and due).';

-- Asks the worker to run; never fails the caller's transaction (a warning at most).
create function private.kick_publish_worker()
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
  if not private.posts_await_worker() then
    return;
  end if;
  if pg_catalog.to_regprocedure('net.http_post(text, jsonb, jsonb, jsonb, integer)') is null then
    raise warning 'net.http_post does not exist (install pg_net): the publish worker was not called';
    return;
  end if;
  select e.url, e.token into v_url, v_token from private.worker_endpoint e;
  if not found then
    raise warning 'private.worker_endpoint is empty: the publish worker was not called';
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
    raise warning 'The publish worker could not be called: %', sqlerrm;
  end;
end;
$$;

comment on function private.kick_publish_worker() is
  'POSTs {} to the publish-worker function through net.http_post when posts await it; never raises.';

-- Statement triggers: one call per statement that leaves a post of a connected account (active,
-- on a platform with a connector) newly waiting for a worker: not one per row, and not for the
-- worker's own updates, which lease, defer or settle posts.
create function private.kick_worker_after_posts_insert()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from new_posts n
             join public.connected_accounts c on c.id = n.account_id
             join public.platform_limits l on l.platform = c.platform
             where n.status = 'publishing' and c.status = 'active' and l.has_connector
               and private.awaits_worker(n.status, n.scheduled_at, n.lease_until, n.next_attempt_at)) then
    perform private.kick_publish_worker();
  end if;
  return null;
end;
$$;

comment on function private.kick_worker_after_posts_insert() is
  'Calls the publish worker when an insert created a publishing post of a connected account that no worker holds.';

create function private.kick_worker_after_posts_update()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from new_posts n
             join public.connected_accounts c on c.id = n.account_id
             join public.platform_limits l on l.platform = c.platform
             where n.status = 'publishing' and c.status = 'active' and l.has_connector
               and private.awaits_worker(n.status, n.scheduled_at, n.lease_until, n.next_attempt_at)
               and not exists (select 1 from old_posts o
                               where o.id = n.id and o.status = 'publishing'
                                 and private.awaits_worker(o.status, o.scheduled_at, o.lease_until,
                                                           o.next_attempt_at))) then
    perform private.kick_publish_worker();
  end if;
  return null;
end;
$$;

comment on function private.kick_worker_after_posts_update() is
  'Calls the publish worker when an update left a post of a connected account publishing and free, which it was not before.';

create trigger posts_kick_worker_after_insert
  after insert on public.posts
  referencing new table as new_posts
  for each statement execute function private.kick_worker_after_posts_insert();

create trigger posts_kick_worker_after_update
  after update on public.posts
  referencing old table as old_posts new table as new_posts
  for each statement execute function private.kick_worker_after_posts_update();

revoke all on function private.posts_await_worker() from public;
revoke all on function private.kick_publish_worker() from public;
revoke all on function private.kick_worker_after_posts_insert() from public;
revoke all on function private.kick_worker_after_posts_update() from public;
grant execute on function private.posts_await_worker() to service_role;
grant execute on function private.kick_publish_worker() to service_role;

-- Every minute; cron.schedule with a job name updates that job, so re-applying changes nothing.
do $$
begin
  if not exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron') then
    raise warning 'pg_cron is not installed: scheduled posts to Bluesky and Mastodon wait until something calls the publish-worker function.';
    return;
  end if;
  perform cron.schedule('publish-worker', '* * * * *', 'select private.kick_publish_worker()');
end;
$$;
