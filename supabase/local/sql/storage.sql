-- The storage schema as Supabase's Storage service lays it out (the parts policies and the
-- API use), so migrations' policies on storage.objects and storage.foldername() work
-- unchanged. Idempotent.
create schema if not exists storage;

create table if not exists storage.buckets (
  id text primary key,
  name text not null unique,
  owner uuid,
  owner_id text,
  public boolean default false,
  avif_autodetection boolean default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);

create table if not exists storage.objects (
  id uuid primary key default gen_random_uuid(),
  bucket_id text references storage.buckets (id),
  name text,
  owner uuid,
  owner_id text,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  last_accessed_at timestamptz default now(),
  metadata jsonb,
  path_tokens text[] generated always as (string_to_array(name, '/')) stored,
  version text,
  user_metadata jsonb
);
create unique index if not exists bucketid_objname on storage.objects (bucket_id, name);
create index if not exists name_prefix_search on storage.objects (name text_pattern_ops);

alter table storage.buckets enable row level security;
alter table storage.objects enable row level security;

-- Every folder of an object path but the file name: 'u1/g1/image.png' → {u1,g1}.
create or replace function storage.foldername(name text) returns text[]
language plpgsql immutable set search_path = '' as $$
declare
  _parts text[] := pg_catalog.string_to_array(name, '/');
begin
  return _parts[1:pg_catalog.array_length(_parts, 1) - 1];
end
$$;

create or replace function storage.filename(name text) returns text
language plpgsql immutable set search_path = '' as $$
declare
  _parts text[] := pg_catalog.string_to_array(name, '/');
begin
  return _parts[pg_catalog.array_length(_parts, 1)];
end
$$;

create or replace function storage.extension(name text) returns text
language plpgsql immutable set search_path = '' as $$
declare
  _filename text := storage.filename(name);
begin
  return pg_catalog.split_part(_filename, '.', pg_catalog.array_length(pg_catalog.string_to_array(_filename, '.'), 1));
end
$$;

-- As on Supabase: the API roles hold table privileges and RLS policies decide.
grant usage on schema storage to anon, authenticated, service_role;
grant all on storage.buckets, storage.objects to anon, authenticated, service_role;
grant execute on function storage.foldername(text), storage.filename(text), storage.extension(text)
  to anon, authenticated, service_role;
