-- set_generation_starred: the owner stars a generation of any status; nobody else can; and the
-- call changes `starred` (and updated_at) and nothing else.
begin;
\ir setup/helpers.sql
select * from no_plan();

select has_column('public', 'generations', 'starred', 'generations have a starred flag');
select col_not_null('public', 'generations', 'starred', 'starred is never null');
select col_default_is('public', 'generations', 'starred', 'false', 'a new generation is not starred');
select function_privs_are('public', 'set_generation_starred', array['uuid', 'boolean'], 'anon', '{}',
  'anon cannot execute set_generation_starred');

-- Age Ana's completed row so the updated_at bump is visible inside this transaction.
alter table public.generations disable trigger generations_touch_updated_at;
update public.generations set updated_at = now() - interval '1 day' where id = 'aaaaaaaa-0000-4000-8000-000000000002';
alter table public.generations enable trigger generations_touch_updated_at;
create temp table before_star as select * from public.generations where id = 'aaaaaaaa-0000-4000-8000-000000000002';
grant select on before_star to authenticated;

select tests.as_user('aaaaaaaa-0000-4000-8000-000000000000');
select results_eq($$ select id, status::text, starred from public.set_generation_starred('aaaaaaaa-0000-4000-8000-000000000002', true) $$,
  $$ values ('aaaaaaaa-0000-4000-8000-000000000002'::uuid, 'completed', true) $$,
  'the owner stars a completed generation and gets the updated row back');
select is((select starred from public.generations where id = 'aaaaaaaa-0000-4000-8000-000000000002'), true, 'the star is stored');
select ok((select g.updated_at > b.updated_at from public.generations g, before_star b where g.id = b.id),
  'updated_at moves, so the realtime UPDATE carries the change');
select is_empty($$
  select 1 from public.generations g, before_star b where g.id = b.id and (
    (to_jsonb(g) - '{starred,updated_at}'::text[]) is distinct from (to_jsonb(b) - '{starred,updated_at}'::text[])) $$,
  'nothing but starred and updated_at changed (status, media, prompt, params, …)');
select is((select starred from public.set_generation_starred('aaaaaaaa-0000-4000-8000-000000000002', false)), false,
  'the owner unstars it');
select is((select starred from public.set_generation_starred('aaaaaaaa-0000-4000-8000-000000000003', true)), true,
  'a queued generation can be starred too');
select throws_ok($$ select public.set_generation_starred('aaaaaaaa-0000-4000-8000-000000000002', null) $$,
  '22004', 'p_starred must be true or false', 'a null star is refused');

-- Still no other way to change a completed row.
select throws_ok($$ update public.generations set starred = true where id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  '42501', null, 'starred is not writable by a plain update');
select is_empty($$ update public.generations set prompt = 'changed' where id = 'aaaaaaaa-0000-4000-8000-000000000002' returning 1 $$,
  'the prompt of a completed generation still cannot change');
select throws_ok($$ update public.generations set status = 'queued' where id = 'aaaaaaaa-0000-4000-8000-000000000002' $$,
  '42501', null, 'nor its status');

-- Another user: Bo's row and an unknown id answer alike, and nothing changes.
select throws_ok($$ select public.set_generation_starred('bbbbbbbb-0000-4000-8000-000000000002', true) $$,
  '42501', 'Generation bbbbbbbb-0000-4000-8000-000000000002 was not found among yours',
  'another user''s generation cannot be starred');
select throws_ok($$ select public.set_generation_starred('00000000-0000-4000-8000-000000000000', true) $$,
  '42501', 'Generation 00000000-0000-4000-8000-000000000000 was not found among yours',
  'an unknown id is the same clear error');
select throws_ok($$ select private.set_generation_starred('bbbbbbbb-0000-4000-8000-000000000002', true) $$,
  '42501', null, 'even the helper called directly refuses someone else''s row');

select tests.as_anon();
select throws_ok($$ select public.set_generation_starred('aaaaaaaa-0000-4000-8000-000000000002', true) $$,
  '42501', null, 'anon cannot star');

select tests.as_runner();
select is((select starred from public.generations where id = 'bbbbbbbb-0000-4000-8000-000000000002'), false,
  'Bo''s generation is untouched');

select * from finish();
rollback;
