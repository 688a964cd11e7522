-- Media storage. The bucket is public on purpose: social platforms (Instagram, Threads,
-- TikTok in pull mode) fetch media from a public URL at publish time, and a stable public URL
-- is what a generation row stores. Paths are <user_id>/<generation_id>/<file>, so the first
-- folder names the owner and the policies below key on it. Writes need a signed-in owner;
-- listing goes through select, which is limited to the owner's own folder.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('generated_assets', 'generated_assets', true, 104857600,
        array['image/png', 'image/jpeg', 'image/webp', 'video/mp4', 'video/webm'])
on conflict (id) do nothing;

create policy "generated_assets: owners read their folder"
  on storage.objects for select to authenticated
  using (bucket_id = 'generated_assets'
         and (storage.foldername(name))[1] = (select auth.uid())::text);

create policy "generated_assets: owners upload to their folder"
  on storage.objects for insert to authenticated
  with check (bucket_id = 'generated_assets'
              and (storage.foldername(name))[1] = (select auth.uid())::text);

create policy "generated_assets: owners update their folder"
  on storage.objects for update to authenticated
  using (bucket_id = 'generated_assets'
         and (storage.foldername(name))[1] = (select auth.uid())::text)
  with check (bucket_id = 'generated_assets'
              and (storage.foldername(name))[1] = (select auth.uid())::text);

create policy "generated_assets: owners delete from their folder"
  on storage.objects for delete to authenticated
  using (bucket_id = 'generated_assets'
         and (storage.foldername(name))[1] = (select auth.uid())::text);
