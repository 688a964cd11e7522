-- Sessions: clients write only what the app writes. A creator names a session (insert id and
-- title; id for a client that picks its own) and renames it (update title). Everything else is
-- the server's: user_id defaults to the caller, created_at orders the rail and must not be
-- rewritten, and a session's id never changes once it exists. The other tables grant columns
-- the same way (generations, connected_accounts, posts).

revoke insert, update on table public.sessions from authenticated;
grant insert (id, title) on table public.sessions to authenticated;
grant update (title) on table public.sessions to authenticated;
