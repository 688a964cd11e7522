-- pg_net's SQL interface (https://github.com/supabase/pg_net, docs: https://supabase.github.io/pg_net/api/)
-- for machines whose PostgreSQL has no pg_net (Debian ships none). Same schema, tables, function
-- signatures and defaults, same semantics: net.http_post only queues the request in the caller's
-- transaction and wakes the sender; the stack (supabase-local) sends it once that transaction has
-- committed (a rolled-back transaction leaves no row and no notification, so nothing is sent) and
-- records the outcome in net._http_response. Installed by the stack before migrations, never by the
-- project's migrations, on every start. Idempotent.
--
-- Privileges follow hosted Supabase's grant_pg_net_access: usage on the schema and execute on the
-- request functions for postgres, anon, authenticated and service_role, the functions SECURITY
-- DEFINER with a fixed search_path. The queue tables are not readable by anon/authenticated: a
-- queued request carries its headers, typically a bearer key.

create schema if not exists net;

do $$
begin
  if not exists (select 1 from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
                 where n.nspname = 'net' and t.typname = 'http_method') then
    create domain net.http_method as text
      check (value ilike 'get' or value ilike 'post' or value ilike 'delete');
  end if;
end $$;

-- Requests waiting to be sent; the stack deletes a row when it takes it.
create unlogged table if not exists net.http_request_queue (
  id bigserial,
  method net.http_method not null,
  url text not null,
  headers jsonb,
  body bytea,
  timeout_milliseconds integer not null
);

-- One row per request sent (or refused): the HTTP status and body, or error_msg.
create unlogged table if not exists net._http_response (
  id bigint,
  status_code integer,
  content_type text,
  headers jsonb,
  content text,
  timed_out boolean,
  error_msg text,
  created timestamptz not null default now()
);
create index if not exists _http_response_created_idx on net._http_response (created);

-- curl_escape: every byte of the UTF-8 form except A-Z a-z 0-9 - . _ ~ becomes %XX.
create or replace function net._urlencode_string(string varchar)
returns text
language sql
immutable
strict
set search_path = ''
as $$
  select coalesce(pg_catalog.string_agg(
           case when b between 48 and 57 or b between 65 and 90 or b between 97 and 122 or b in (45, 46, 95, 126)
                then pg_catalog.chr(b)
                else '%' || pg_catalog.upper(pg_catalog.lpad(pg_catalog.to_hex(b), 2, '0')) end,
           '' order by i), '')
  from (select i, pg_catalog.get_byte(pg_catalog.convert_to(string, 'UTF8'), i) as b
        from pg_catalog.generate_series(0, pg_catalog.octet_length(pg_catalog.convert_to(string, 'UTF8')) - 1) as i) bytes
$$;

-- The URL with `k=v` pairs appended to its query (before any fragment). Like pg_net (curl's URL
-- parser) a URL without a scheme and host is refused when the request is made.
create or replace function net._encode_url_with_params_array(url text, params_array text[])
returns text
language plpgsql
immutable
strict
set search_path = ''
as $$
declare
  v_base text := url;
  v_fragment text := '';
  v_query text := pg_catalog.array_to_string(params_array, '&');
begin
  if url !~* '^[a-z][a-z0-9+.-]*://[^/?#]+' then
    raise exception 'Malformed input to a URL function: %', url using errcode = '22023';
  end if;
  if v_query = '' then
    return url;
  end if;
  if pg_catalog.strpos(url, '#') > 0 then
    v_base := pg_catalog.split_part(url, '#', 1);
    v_fragment := pg_catalog.substr(url, pg_catalog.strpos(url, '#'));
  end if;
  if pg_catalog.strpos(v_base, '?') > 0 then
    if v_base !~ '[?&]$' then
      v_base := v_base || '&';
    end if;
  else
    v_base := v_base || '?';
  end if;
  return v_base || v_query || v_fragment;
end
$$;

-- Tells the stack's sender that requests are queued. A notification is delivered at commit, and
-- not at all when the transaction rolls back.
create or replace function net.wake()
returns void
language sql
set search_path = ''
as $$
  select pg_catalog.pg_notify('supabase_local_net', '')
$$;

create or replace function net.http_get(
  url text,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{}'::jsonb,
  timeout_milliseconds integer default 5000
)
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  request_id bigint;
  params_array text[];
begin
  select coalesce(pg_catalog.array_agg(net._urlencode_string(key) || '=' || net._urlencode_string(value)), '{}')
  into params_array
  from pg_catalog.jsonb_each_text(params);

  insert into net.http_request_queue (method, url, headers, timeout_milliseconds)
  values ('GET', net._encode_url_with_params_array(url, params_array), headers, timeout_milliseconds)
  returning id into request_id;

  perform net.wake();
  return request_id;
end
$$;

create or replace function net.http_post(
  url text,
  body jsonb default '{}'::jsonb,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
  timeout_milliseconds integer default 5000
)
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  request_id bigint;
  params_array text[];
  content_type text;
begin
  select header_value into content_type
  from pg_catalog.jsonb_each_text(coalesce(headers, '{}'::jsonb)) as r(header_name, header_value)
  where pg_catalog.lower(header_name) = 'content-type'
  limit 1;

  -- Headers given without a content type get the JSON one back, as pg_net does.
  if content_type is null then
    headers := coalesce(headers, '{}'::jsonb) || '{"Content-Type": "application/json"}'::jsonb;
  end if;

  if content_type <> 'application/json' then
    raise exception 'Content-Type header must be "application/json"';
  end if;

  select coalesce(pg_catalog.array_agg(net._urlencode_string(key) || '=' || net._urlencode_string(value)), '{}')
  into params_array
  from pg_catalog.jsonb_each_text(params);

  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  values ('POST', net._encode_url_with_params_array(url, params_array), headers,
          pg_catalog.convert_to(body::text, 'UTF8'), timeout_milliseconds)
  returning id into request_id;

  perform net.wake();
  return request_id;
end
$$;

create or replace function net.http_delete(
  url text,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{}'::jsonb,
  timeout_milliseconds integer default 5000,
  body jsonb default null
)
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  request_id bigint;
  params_array text[];
begin
  select coalesce(pg_catalog.array_agg(net._urlencode_string(key) || '=' || net._urlencode_string(value)), '{}')
  into params_array
  from pg_catalog.jsonb_each_text(params);

  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  values ('DELETE', net._encode_url_with_params_array(url, params_array), headers,
          pg_catalog.convert_to(body::text, 'UTF8'), timeout_milliseconds)
  returning id into request_id;

  perform net.wake();
  return request_id;
end
$$;

revoke all on schema net from public;
grant usage on schema net to postgres, anon, authenticated, service_role;
revoke all on all tables in schema net from public, anon, authenticated;
revoke all on all sequences in schema net from public, anon, authenticated;
grant select on net.http_request_queue, net._http_response to service_role;
revoke all on function net.http_get(text, jsonb, jsonb, integer) from public;
revoke all on function net.http_post(text, jsonb, jsonb, jsonb, integer) from public;
revoke all on function net.http_delete(text, jsonb, jsonb, integer, jsonb) from public;
grant execute on function net.http_get(text, jsonb, jsonb, integer),
                          net.http_post(text, jsonb, jsonb, jsonb, integer),
                          net.http_delete(text, jsonb, jsonb, integer, jsonb)
  to postgres, anon, authenticated, service_role;
