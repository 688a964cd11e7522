-- Removing finished posts from Atelier. A post that has gone out (published), failed or was
-- cancelled is history: its owner may remove it (what was published stays on the network, only
-- Atelier's record goes). A scheduled or publishing post is still on its way and can only be
-- cancelled first, so the worker never loses a row it is delivering.
--
-- Deleting a generation takes its cancelled and failed posts along (nothing left to keep of
-- them); a published, scheduled or publishing post still refuses it through the foreign key
-- (`on delete restrict`, 23503), so a creator removes or cancels that post first.

create policy "posts: owners remove finished posts"
  on public.posts for delete to authenticated
  using ((select auth.uid()) = user_id and status in ('published', 'failed', 'cancelled'));

grant delete on table public.posts to authenticated;

-- Runs as the deleting user (invoker): their RLS applies, so only their own posts go. A session
-- delete cascades to its generations, and this trigger fires for each of them too.
create function private.remove_unsent_posts_of_generation()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  delete from public.posts
  where generation_id = old.id and status in ('cancelled', 'failed');
  return old;
end
$$;

comment on function private.remove_unsent_posts_of_generation() is
  'Before a generation is deleted: deletes its cancelled and failed posts; any other post still blocks the delete.';

revoke all on function private.remove_unsent_posts_of_generation() from public;
grant execute on function private.remove_unsent_posts_of_generation() to authenticated, service_role;

create trigger generations_remove_unsent_posts
  before delete on public.generations
  for each row execute function private.remove_unsent_posts_of_generation();
