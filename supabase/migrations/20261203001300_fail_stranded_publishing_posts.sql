-- Posts published "now" to an `active` account before Atelier had connectors stayed `publishing`
-- with nothing to send them. Those on a platform that still has no connector could never leave:
-- they fail with the reason a new one gets at once. (Re-running this changes nothing more.)

update public.posts p
set status = 'failed',
    error = pg_catalog.format('Atelier cannot publish to %s yet', l.display_name)
from public.connected_accounts c
join public.platform_limits l on l.platform = c.platform
where c.id = p.account_id
  and p.status = 'publishing' and c.status = 'active' and not l.has_connector;
