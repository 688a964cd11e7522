-- pg_cron lives in pg_catalog, as Supabase's docs create it (`create extension pg_cron with
-- schema pg_catalog`). 20261126000700 created it without a schema, so the extension was recorded
-- in public, which Supabase's advisor flags (extension_in_public). pg_cron is not relocatable
-- (`alter extension ... set schema` is refused), so a database that has it elsewhere drops it and
-- creates it again; the jobs in cron.job go with the extension, so they are read first and
-- scheduled again afterwards (their run history in cron.job_run_details is not kept).
--
-- Re-applying is harmless: the extension is only recreated when it is outside pg_catalog, and
-- cron.schedule with a job name updates that job (pg_cron 1.3+: unique on jobname and username).

do $$
declare
  v_schema name;
  v_jobs jsonb := '[]';
  v_job jsonb;
  v_id bigint;
begin
  if not exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_cron') then
    raise warning 'pg_cron is not installed: no job runs on a schedule here. Call public.publish_due_posts() and public.fail_stale_generations() every minute from the server side.';
    return;
  end if;

  select n.nspname into v_schema
  from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace
  where e.extname = 'pg_cron';

  if v_schema is not null and v_schema <> 'pg_catalog' then
    select coalesce(pg_catalog.jsonb_agg(pg_catalog.to_jsonb(j) order by j.jobid), '[]') into v_jobs
    from cron.job j;
    drop extension pg_cron;
  end if;

  create extension if not exists pg_cron with schema pg_catalog;

  for v_job in select * from pg_catalog.jsonb_array_elements(v_jobs) loop
    if v_job ->> 'jobname' is null then
      v_id := cron.schedule(v_job ->> 'schedule', v_job ->> 'command');
    else
      v_id := cron.schedule(v_job ->> 'jobname', v_job ->> 'schedule', v_job ->> 'command');
    end if;
    -- Only a job that was not the migration runner's own, in this database, active, needs more.
    if v_job ->> 'username' <> current_user or v_job ->> 'database' <> pg_catalog.current_database()
       or not (v_job ->> 'active')::boolean then
      perform cron.alter_job(v_id, database => v_job ->> 'database', username => v_job ->> 'username',
                             active => (v_job ->> 'active')::boolean);
    end if;
  end loop;

  -- The stale-generations sweep of 20261126000700, whether or not it was carried across above.
  perform cron.schedule('fail-stale-generations', '* * * * *', 'select public.fail_stale_generations()');
end;
$$;
