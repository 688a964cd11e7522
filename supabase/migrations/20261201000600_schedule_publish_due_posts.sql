-- Nothing stays scheduled past its time: pg_cron settles due posts every minute (pg_cron
-- schedules by the minute, so a post goes out within a minute of its time). The job runs as the
-- migration runner (the database owner), which may execute public.publish_due_posts.
-- cron.schedule with a job name updates an existing job, so re-applying changes nothing.

do $$
begin
  if not exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron') then
    raise warning 'pg_cron is not installed: scheduled posts stay scheduled until the server side calls public.publish_due_posts().';
    return;
  end if;
  perform cron.schedule('publish-due-posts', '* * * * *', 'select count(*) from public.publish_due_posts()');
end;
$$;
