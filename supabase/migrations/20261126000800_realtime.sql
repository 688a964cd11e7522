-- The grid and the posts list follow these tables live.
alter publication supabase_realtime add table public.generations, public.posts;
