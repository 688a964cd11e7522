-- Change capture for the local Realtime (installed by the stack on every (re)connect, never by
-- the project's migrations). Supabase reads the WAL through wal2json; here a row trigger on each
-- table of the `supabase_realtime` publication writes the change to an unlogged queue and
-- notifies the stack, which reads that transaction's rows when the notification arrives
-- (notifications arrive in commit order). Idempotent.

create schema if not exists realtime;
revoke all on schema realtime from public;

create unlogged table if not exists realtime.local_changes (
  id bigint generated always as identity primary key,
  xid xid8 not null default pg_current_xact_id(),
  schema_name text not null,
  table_name text not null,
  action text not null,
  record jsonb,
  old_record jsonb,
  changed_at timestamptz not null default clock_timestamp()
);
create index if not exists local_changes_xid_idx on realtime.local_changes (xid);
comment on table realtime.local_changes is
  'Row changes of published tables waiting for supabase-local Realtime (deleted once read).';

-- Values are rendered in UTC, as Realtime's own session does.
create or replace function realtime.local_capture()
returns trigger
language plpgsql
security definer
set search_path = ''
set timezone = 'UTC'
as $$
begin
  insert into realtime.local_changes (schema_name, table_name, action, record, old_record)
  values (
    tg_table_schema,
    tg_table_name,
    tg_op,
    case when tg_op <> 'DELETE' then pg_catalog.to_jsonb(new) end,
    case when tg_op <> 'INSERT' then pg_catalog.to_jsonb(old) end
  );
  perform pg_catalog.pg_notify('supabase_local_realtime', pg_catalog.pg_current_xact_id()::text);
  return null;
end;
$$;
comment on function realtime.local_capture() is 'Queues one row change for supabase-local Realtime.';

-- Puts the capture trigger on every table of the publication and takes it off the others.
create or replace function realtime.local_sync()
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  rel regclass;
begin
  for rel in
    select format('%I.%I', p.schemaname, p.tablename)::regclass
    from pg_catalog.pg_publication_tables p
    where p.pubname = 'supabase_realtime'
      and not exists (
        select 1 from pg_catalog.pg_trigger t
        where t.tgname = 'supabase_local_realtime'
          and t.tgrelid = format('%I.%I', p.schemaname, p.tablename)::regclass
      )
  loop
    execute format(
      'create trigger supabase_local_realtime after insert or update or delete on %s
         for each row execute function realtime.local_capture()', rel);
  end loop;
  for rel in
    select t.tgrelid::regclass
    from pg_catalog.pg_trigger t
    where t.tgname = 'supabase_local_realtime'
      and not exists (
        select 1 from pg_catalog.pg_publication_tables p
        where p.pubname = 'supabase_realtime'
          and format('%I.%I', p.schemaname, p.tablename)::regclass = t.tgrelid
      )
  loop
    execute format('drop trigger supabase_local_realtime on %s', rel);
  end loop;
end;
$$;
revoke all on function realtime.local_sync() from public;

-- Migrations that change the publication re-sync the triggers; a failure never breaks them.
create or replace function realtime.local_sync_on_ddl()
returns event_trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform realtime.local_sync();
exception when others then
  raise warning 'supabase-local realtime: cannot sync capture triggers: %', sqlerrm;
end;
$$;

-- Realtime's RLS check (apply_rls.sql): for each subscriber, become its role with its claims and
-- run `check_sql` (which selects the changed row by key, `$1` being the key values). Called by
-- the stack's superuser connection; an error means "not visible".
create or replace function realtime.local_visible(check_sql text, key text[], roles text[], claims text[])
returns boolean[]
language plpgsql
set search_path = ''
as $$
declare
  result boolean[] = '{}';
  seen boolean;
begin
  for i in 1 .. coalesce(pg_catalog.array_length(roles, 1), 0) loop
    begin
      perform pg_catalog.set_config('role', roles[i], true),
              pg_catalog.set_config('request.jwt.claims', claims[i], true),
              pg_catalog.set_config('search_path', 'public, extensions', true);
      execute check_sql into seen using key;
    exception when others then
      seen := false;
    end;
    perform pg_catalog.set_config('role', 'none', true);
    result := result || coalesce(seen, false);
  end loop;
  return result;
end;
$$;
revoke all on function realtime.local_visible(text, text[], text[], text[]) from public;

drop event trigger if exists supabase_local_realtime_sync;
create event trigger supabase_local_realtime_sync on ddl_command_end
  when tag in ('CREATE PUBLICATION', 'ALTER PUBLICATION', 'CREATE TABLE')
  execute function realtime.local_sync_on_ddl();

select realtime.local_sync();
